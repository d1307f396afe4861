import type { SmartTokenSet, TokenStorage } from '@patient-access/auth-core';
import type { ExtensionApi } from './extension-api.js';

/**
 * The auth core's {@link TokenStorage} over extension storage. Everything lives in
 * `storage.session` (memory only, gone when the browser closes). When the user chose "stay
 * signed in", the refresh token and the non-secret context (patient, scope) are also kept in
 * `storage.local`, on disk, so a new browser session can refresh without a sign-in; the access
 * and ID tokens never go to disk.
 * @see https://developer.chrome.com/docs/extensions/reference/api/storage#property-session
 */
export class ExtensionTokenStorage implements TokenStorage {
  constructor(
    private readonly api: ExtensionApi,
    private readonly persistRefreshToken: () => Promise<boolean>,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const inSession = (await this.api.storage.session.get(key))[key];
    if (typeof inSession === 'string') return inSession;
    const onDisk = (await this.api.storage.local.get(key))[key];
    if (typeof onDisk !== 'string') return undefined;
    // A restored session has only the refresh token: an access token that expired at the epoch
    // makes the session refresh before first use.
    const restored: Partial<SmartTokenSet> = {
      ...(JSON.parse(onDisk) as Partial<SmartTokenSet>),
      accessToken: '',
      expiresAt: 0,
      expiresIn: 0,
      raw: {},
    };
    return JSON.stringify(restored);
  }

  async set(key: string, value: string): Promise<void> {
    await this.api.storage.session.set({ [key]: value });
    const tokens = JSON.parse(value) as Partial<SmartTokenSet>;
    if (tokens.refreshToken && (await this.persistRefreshToken())) {
      const { accessToken: _access, idToken: _id, raw: _raw, ...durable } = tokens;
      await this.api.storage.local.set({ [key]: JSON.stringify(durable) });
    } else {
      await this.api.storage.local.remove(key);
    }
  }

  async remove(key: string): Promise<void> {
    await this.api.storage.session.remove(key);
    await this.api.storage.local.remove(key);
  }
}
