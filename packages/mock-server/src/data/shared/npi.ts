/**
 * Completes a 9-digit NPI base with its check digit: Luhn over the digits prefixed with the
 * card issuer prefix 80840, as CMS defines it.
 * @see https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/NationalProvIdentStand/Downloads/NPIcheckdigit.pdf
 */
export function npi(base: string): string {
  let sum = 24; // the constant contribution of the 80840 prefix
  base
    .split('')
    .reverse()
    .forEach((char, index) => {
      let digit = Number(char);
      if (index % 2 === 0) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    });
  return `${base}${(10 - (sum % 10)) % 10}`;
}
