import { badRequest, OperationOutcomeError } from '../outcomes.js';

/** The search a `_getpages` id stands for. */
export interface PageState {
  type: string;
  params: [string, string][];
}

/**
 * Encodes a search as a `_getpages` id. The id carries the whole query, so paging keeps no state
 * on the server and never expires; each page is re-run under the caller's own token.
 */
export function encodePageState(state: PageState): string {
  return Buffer.from(JSON.stringify([state.type, state.params]), 'utf8').toString('base64url');
}

/** Decodes a `_getpages` id; throws a 400 outcome for anything this server did not issue. */
export function decodePageState(id: string): PageState {
  try {
    const decoded = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === 'string' &&
      Array.isArray(decoded[1]) &&
      (decoded[1] as unknown[]).every(
        (pair) =>
          Array.isArray(pair) &&
          pair.length === 2 &&
          pair.every((item) => typeof item === 'string'),
      )
    ) {
      return { type: decoded[0], params: decoded[1] as [string, string][] };
    }
  } catch {
    // Falls through to the 400 below: the id is not ours.
  }
  throw new OperationOutcomeError(
    badRequest(`Search ID "${id}" does not exist and may have expired`, '_getpages'),
  );
}

/** One `Bundle.link`. */
export interface BundleLink {
  relation: 'self' | 'next' | 'previous';
  url: string;
}

/**
 * The `self`, `next` and `previous` links of one page, in HAPI's shape:
 * `{base}?_getpages=<id>&_getpagesoffset=<n>&_count=<n>&_bundletype=searchset`.
 */
export function pageLinks(options: {
  base: string;
  self: string;
  state: PageState;
  offset: number;
  count: number;
  total: number;
}): BundleLink[] {
  const { base, self, state, offset, count, total } = options;
  const page = (at: number): string =>
    `${base}?_getpages=${encodePageState(state)}&_getpagesoffset=${at}&_count=${count}&_bundletype=searchset`;
  const links: BundleLink[] = [{ relation: 'self', url: self }];
  if (count > 0 && offset + count < total)
    links.push({ relation: 'next', url: page(offset + count) });
  if (count > 0 && offset > 0)
    links.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
  return links;
}

/** Parses `_getpagesoffset`; throws a 400 outcome when it is not a non-negative integer. */
export function parseOffset(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new OperationOutcomeError(
      badRequest(
        `Invalid _getpagesoffset value "${raw}": expected a non-negative integer`,
        '_getpagesoffset',
      ),
    );
  }
  return Number(raw);
}
