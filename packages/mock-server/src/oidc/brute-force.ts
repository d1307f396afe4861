import type { LockoutConfig } from '../config.js';

/**
 * Keycloak's brute-force detection, simplified to its temporary lockout: after `maxFailures`
 * consecutive wrong passwords a username is locked for `lockSeconds`, whatever password comes next.
 * @see https://www.keycloak.org/docs/latest/server_admin/#password-guess-brute-force-attacks
 */
export class BruteForceGuard {
  readonly #config: LockoutConfig;
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(config: LockoutConfig) {
    this.#config = config;
  }

  isLocked(username: string, now: number): boolean {
    const entry = this.#failures.get(username.toLowerCase());
    return entry !== undefined && entry.lockedUntil > now;
  }

  recordFailure(username: string, now: number): void {
    if (this.#config.maxFailures <= 0) return;
    const key = username.toLowerCase();
    const entry = this.#failures.get(key) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= this.#config.maxFailures) {
      entry.count = 0;
      entry.lockedUntil = now + this.#config.lockSeconds * 1000;
    }
    this.#failures.set(key, entry);
  }

  recordSuccess(username: string): void {
    this.#failures.delete(username.toLowerCase());
  }

  /** Drops expired lockouts; failure counts of unlocked names are kept until a success. */
  prune(now: number): void {
    for (const [key, entry] of this.#failures) {
      if (entry.count === 0 && entry.lockedUntil <= now) this.#failures.delete(key);
    }
  }

  reset(): void {
    this.#failures.clear();
  }
}
