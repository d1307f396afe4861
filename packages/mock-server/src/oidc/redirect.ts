/**
 * `redirectUri` with `params` appended to its query (its own query kept), for a `response_mode`
 * of `query`; undefined values are skipped.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function withQuery(
  redirectUri: string,
  params: Readonly<Record<string, string | undefined>>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.href;
}
