import { mockProfile, verifyPkce, type ServerProfile } from '@patient-access/auth-core';

/**
 * A scripted SMART authorization server behind an injected `fetch`, for unit tests of the
 * service worker: it issues codes for authorize URLs, checks PKCE at the token endpoint, signs
 * RS256 ID tokens with a WebCrypto key, refreshes and revokes, and counts what it was asked.
 * End-to-end tests use the real mock server instead.
 */
export class FakeAuthServer {
  readonly origin = 'http://127.0.0.1:9999';
  readonly profile: ServerProfile = mockProfile(this.origin);
  readonly patientId = '428946492';
  readonly revoked: string[] = [];
  refreshCount = 0;
  /** When set, every endpoint is unreachable (a network error), as for a server that is down. */
  serverDown = false;
  /** When set, the revocation endpoint is unreachable (a network error). */
  revocationDown = false;
  /** Epoch ms; the fake's notion of now, shared with the worker under test. */
  now = Date.UTC(2026, 0, 1);

  private readonly codes = new Map<
    string,
    { challenge: string; nonce: string | null; scope: string; clientId: string }
  >();
  private readonly refreshTokens = new Set<string>();
  private keyPair: Promise<CryptoKeyPair> = crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  private counter = 0;

  /** Ends every server-side session, as an administrator logging the user out would. */
  endSessions(): void {
    this.refreshTokens.clear();
  }

  /** The final redirect of a successful sign-in to `authorizeUrl`, as the auth window returns it. */
  authorize(authorizeUrl: string): string {
    const url = new URL(authorizeUrl);
    const code = `code-${++this.counter}`;
    this.codes.set(code, {
      challenge: url.searchParams.get('code_challenge') ?? '',
      nonce: url.searchParams.get('nonce'),
      scope: url.searchParams.get('scope') ?? '',
      clientId: url.searchParams.get('client_id') ?? '',
    });
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
    redirect.searchParams.set('session_state', '6f2e4a6e-1b1c-4d5e-9f00-0000000000aa');
    redirect.searchParams.set('code', code);
    return redirect.href;
  }

  /** A `fetch` that answers the profile's token, revocation and JWKS endpoints. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (this.serverDown) throw new TypeError('fetch failed');
    const body = new URLSearchParams(init?.body ? String(init.body) : '');
    if (url.href === this.profile.jwksUri) return json(200, { keys: [await this.publicJwk()] });
    if (url.href === this.profile.tokenEndpoint) return this.token(body);
    if (url.href === this.profile.revocationEndpoint) {
      if (this.revocationDown) throw new TypeError('fetch failed');
      this.revoked.push(body.get('token') ?? '');
      return new Response(null, { status: 200 });
    }
    return json(404, { error: 'not_found' });
  };

  private async token(body: URLSearchParams): Promise<Response> {
    if (body.get('grant_type') === 'refresh_token') {
      const token = body.get('refresh_token') ?? '';
      if (!this.refreshTokens.has(token) || this.revoked.includes(token)) {
        return json(400, { error: 'invalid_grant', error_description: 'Token is not active' });
      }
      this.refreshCount++;
      return json(200, this.tokenBody('patient/Patient.read', null, body.get('client_id') ?? ''));
    }
    const grant = this.codes.get(body.get('code') ?? '');
    this.codes.delete(body.get('code') ?? '');
    if (!grant || !(await verifyPkce(body.get('code_verifier') ?? '', grant.challenge))) {
      return json(400, { error: 'invalid_grant', error_description: 'Code not valid' });
    }
    return json(200, await this.signedTokenBody(grant.scope, grant.nonce, grant.clientId));
  }

  private tokenBody(
    scope: string,
    idToken: string | null,
    _clientId: string,
  ): Record<string, unknown> {
    const refreshToken = `refresh-${++this.counter}`;
    this.refreshTokens.add(refreshToken);
    return {
      access_token: `access-${++this.counter}`,
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: refreshToken,
      refresh_expires_in: 1800,
      ...(idToken ? { id_token: idToken } : {}),
      scope,
      patient: ` ${this.patientId}`,
      resource: 'Person/4007449',
      need_patient_banner: 'false',
      session_state: '6f2e4a6e-1b1c-4d5e-9f00-0000000000aa',
    };
  }

  private async signedTokenBody(scope: string, nonce: string | null, clientId: string) {
    const seconds = Math.floor(this.now / 1000);
    const idToken = await this.sign({
      iss: this.profile.issuer,
      aud: clientId,
      sub: 'f1a7c6a2-5d0e-4c44-9c57-2b7f3f0d4a01',
      iat: seconds,
      exp: seconds + 300,
      ...(nonce ? { nonce } : {}),
    });
    return this.tokenBody(scope, idToken, clientId);
  }

  private async publicJwk(): Promise<JsonWebKey & { kid: string; alg: string; use: string }> {
    const jwk = await crypto.subtle.exportKey('jwk', (await this.keyPair).publicKey);
    return { ...jwk, kid: 'fake-key', alg: 'RS256', use: 'sig' };
  }

  private async sign(claims: Record<string, unknown>): Promise<string> {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'fake-key' })}.${encode(claims)}`;
    const signature = await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      (await this.keyPair).privateKey,
      new TextEncoder().encode(input),
    );
    return `${input}.${Buffer.from(signature).toString('base64url')}`;
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
