import { InvalidRequest } from './errors.js';

/** A parsed query string or form body: Fastify turns a repeated name into an array. */
export type RawParams = Readonly<Record<string, unknown>>;

/** Reads OAuth request parameters, each of which may appear at most once. */
export class OAuthParams {
  readonly #raw: RawParams;

  constructor(raw: unknown) {
    this.#raw = raw !== null && typeof raw === 'object' ? (raw as RawParams) : {};
  }

  /**
   * The single value of `name`, or `undefined` when absent or empty. Throws `invalid_request`
   * when it is repeated.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
   */
  get(name: string): string | undefined {
    const value = this.#raw[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new InvalidRequest(`duplicated parameter`);
    return value;
  }

  /** Like {@link get}, but a missing value throws `Missing parameter: <name>` as Keycloak says. */
  require(name: string, label = 'parameter'): string {
    const value = this.get(name);
    if (value === undefined) throw new InvalidRequest(`Missing ${label}: ${name}`);
    return value;
  }

  /** Every parameter with its single value; repeated ones are left out. */
  entries(): Array<[string, string]> {
    return Object.entries(this.#raw).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
  }

  /** Whether any parameter is repeated (`client_id=a&client_id=b`). */
  duplicated(): string | undefined {
    return Object.keys(this.#raw).find((name) => typeof this.#raw[name] !== 'string');
  }
}
