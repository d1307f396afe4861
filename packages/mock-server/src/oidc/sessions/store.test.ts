import { describe, expect, test } from 'vitest';
import { IdentityStore } from './store.js';

function grant(store: IdentityStore, offline: boolean, sessionId: string) {
  const value = {
    id: `grant-${String(offline)}`,
    clientId: 'c',
    userId: 'u',
    ssoSessionId: sessionId,
    patient: 'p',
    encounter: undefined,
    launchKind: 'STANDALONE' as const,
    scope: 'openid',
    offline,
    nonce: undefined,
    audience: 'a',
    authTime: 0,
    revoked: false,
    expiresAt: 10_000,
  };
  store.grants.set(value.id, value);
  return value;
}

describe('IdentityStore', () => {
  test('revokes online grants when their session ends and keeps offline ones', () => {
    const store = new IdentityStore();
    const session = store.createSession('u', 0, 1000);
    const online = grant(store, false, session.id);
    const offline = grant(store, true, session.id);
    store.endSession(session.id);
    expect(online.revoked).toBe(true);
    expect(offline.revoked).toBe(false);
  });

  test('prunes everything that expired', () => {
    const store = new IdentityStore();
    store.createSession('u', 0, 1000);
    grant(store, false, 'gone');
    store.prune(20_000);
    expect(store.sessions.size).toBe(0);
    expect(store.sessionsByCookie.size).toBe(0);
    expect(store.grants.size).toBe(0);
  });

  test('keeps access tokens issued before a reset revoked', () => {
    const store = new IdentityStore();
    store.accessTokens.set('jti-1', {
      jti: 'jti-1',
      grantId: 'g',
      scope: '',
      issuedAt: 0,
      expiresAt: 5000,
      revoked: false,
    });
    store.reset();
    expect(store.isAccessTokenLive('jti-1')).toBe(false);
    expect(store.isAccessTokenLive('jti-from-an-earlier-process')).toBe(true);
  });
});
