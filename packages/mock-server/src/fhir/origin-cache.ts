/**
 * Documents rendered per origin, kept few: the origin comes from the client's Host header, so the
 * cache must not grow with whatever a client sends.
 */
export class OriginCache {
  readonly #entries = new Map<string, string>();
  readonly #limit: number;

  constructor(limit = 16) {
    this.#limit = limit;
  }

  /** The cached document for `origin`, rendered by `render` on a miss. */
  get(origin: string, render: () => string): string {
    let value = this.#entries.get(origin);
    if (value === undefined) {
      if (this.#entries.size >= this.#limit) this.#entries.clear();
      value = render();
      this.#entries.set(origin, value);
    }
    return value;
  }
}
