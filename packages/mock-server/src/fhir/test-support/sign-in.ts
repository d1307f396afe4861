import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createPkce } from '@patient-access/auth-core';

/** The documented test client and its registered callback. */
const CLIENT_ID = 'yourHealthFile';
const CLIENT_SECRET = 'P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ';
const REDIRECT_URI = 'https://oauth.pstmn.io/v1/callback';
const REALM = '/auth/realms/nextgen/protocol/openid-connect';
const ORIGIN = 'http://localhost:80';

function cookiesOf(response: LightMyRequestResponse, jar: Map<string, string>): string {
  for (const cookie of response.cookies) jar.set(cookie.name, cookie.value);
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function formAction(html: string, formId: string): string {
  const form = new RegExp(`<form id="${formId}" action="([^"]+)"`).exec(html);
  if (!form?.[1]) throw new Error(`No form#${formId} in the page: ${html.slice(0, 300)}`);
  return form[1].replaceAll('&amp;', '&').replace(ORIGIN, '');
}

/**
 * Signs in through the identity side's real HTTP flow (authorize, login form, patient selection,
 * token endpoint), as a browser and a confidential client would, and answers the access token.
 */
export async function signIn(
  app: FastifyInstance,
  options: { username: string; password: string; scope: string; patient?: string },
): Promise<{ accessToken: string; patient: string }> {
  const jar = new Map<string, string>();
  const pkce = await createPkce();
  const authorize = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: options.scope,
    state: 'fhir-test',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    aud: `${ORIGIN}/api/fhir/r4`,
  });
  const login = await app.inject({ method: 'GET', url: `${REALM}/auth?${authorize}` });
  const afterLogin = await app.inject({
    method: 'POST',
    url: formAction(login.body, 'kc-form-login'),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(login, jar) },
    payload: new URLSearchParams({
      username: options.username,
      password: options.password,
    }).toString(),
  });
  const consent = new URLSearchParams({ accept: 'yes' });
  if (options.patient) consent.set('patient', options.patient);
  else {
    const own = /name="patient" value="([^"]+)"[^>]*checked/.exec(afterLogin.body);
    consent.set('patient', own?.[1] ?? '');
  }
  for (const scope of options.scope.split(' ')) consent.append('scope', scope);
  const redirect = await app.inject({
    method: 'POST',
    url: formAction(afterLogin.body, 'kc-select-patient-form'),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiesOf(afterLogin, jar),
    },
    payload: consent.toString(),
  });
  const code = new URL(String(redirect.headers.location)).searchParams.get('code');
  if (!code)
    throw new Error(
      `No code in the redirect: ${String(redirect.headers.location)} ${redirect.body}`,
    );
  const token = await app.inject({
    method: 'POST',
    url: `${REALM}/token`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    }).toString(),
  });
  const body = token.json<{ access_token?: string; patient?: string }>();
  if (!body.access_token) throw new Error(`Token request failed: ${token.body}`);
  return { accessToken: body.access_token, patient: (body.patient ?? '').trim() };
}
