import type { Person } from '@medplum/fhirtypes';

/**
 * The patients an account may share: the `Patient` targets of its Person's links (NextGen's
 * token response names the account as `resource: "Person/<id>"`; a parent's Person links to their
 * own Patient and their dependents').
 * @see https://hl7.org/fhir/R4/person.html
 */
export function linkedPatients(person: Person): string[] {
  const ids = (person.link ?? []).flatMap((link) => {
    const match = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(link.target.reference ?? '');
    return match?.[1] ? [match[1]] : [];
  });
  return [...new Set(ids)];
}

/** The Person id in a token response's `resource` (`Person/4007449`), if it names one. */
export function personId(account: string | undefined): string | undefined {
  return /^Person\/([A-Za-z0-9\-.]{1,64})$/.exec(account?.trim() ?? '')?.[1];
}
