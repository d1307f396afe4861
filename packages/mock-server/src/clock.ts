/**
 * The mock's notion of "now". Everything that expires (codes, tokens, sessions, lockouts) reads
 * this clock, so `/__admin/clock` can move time forward without anybody waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The last instant a `Date` holds: 8.64e15 ms after the epoch (ECMA-262 §21.4.1.1). */
export const LATEST_INSTANT_MS = 8.64e15;

/** A clock that follows the system clock plus an offset that only grows. */
export class AdjustableClock implements Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** Moves time forward by `ms` (never backward: expiry must stay monotonic). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward.');
    if (this.now() + ms > LATEST_INSTANT_MS) {
      throw new RangeError('The clock cannot move past the last date JavaScript holds.');
    }
    this.#offsetMs += ms;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}

/** Seconds since the epoch, as JWT `iat`/`exp` and OAuth `expires_in` want them. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
