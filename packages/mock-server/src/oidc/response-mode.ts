import type { FastifyReply } from 'fastify';
import { epochSeconds } from '../clock.js';
import { contentSecurityPolicy, scriptHash, sendHtml } from '../security/headers.js';
import type { IdentityContext } from './context.js';
import { signRs256 } from './jwt-signer.js';
import { escapeHtml } from './pages/layout.js';
import { withQuery } from './redirect.js';

/**
 * The response modes the captured discovery advertises: OAuth's `query` and `fragment`,
 * `form_post`, and JARM's JWT-secured ones.
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 * @see https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 * @see https://openid.net/specs/oauth-v2-jarm.html#section-2.3
 */
export const RESPONSE_MODES = [
  'query',
  'fragment',
  'form_post',
  'query.jwt',
  'fragment.jwt',
  'form_post.jwt',
  'jwt',
] as const;

export type ResponseMode = (typeof RESPONSE_MODES)[number];

/** `value` as a response mode; `undefined` for one the realm does not support. */
export function parseResponseMode(value: string | undefined): ResponseMode | undefined {
  if (value === undefined) return 'query';
  return (RESPONSE_MODES as readonly string[]).includes(value)
    ? (value as ResponseMode)
    : undefined;
}

/** Where and how an authorization response goes. */
export interface AuthorizationResponseTarget {
  redirectUri: string;
  mode: ResponseMode;
  clientId: string;
  issuer: string;
}

// The form_post page submits itself with this one script, allowed by its hash alone.
const SUBMIT_SCRIPT = 'document.forms[0].submit();';
const SUBMIT_SCRIPT_HASH = scriptHash(SUBMIT_SCRIPT);

function formPostPage(redirectUri: string, params: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(params)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Submit This Form</title></head>
<body>
<form method="post" action="${escapeHtml(redirectUri)}">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>${SUBMIT_SCRIPT}</script>
</body>
</html>
`;
}

/**
 * Sends an authorization response (`code`, `state`, `session_state` or an error) to the client in
 * `target.mode`: a 302 with a query or a fragment, or Keycloak's self-submitting form; the JWT
 * modes wrap the parameters in one `response` JWT signed with the realm key, with `iss`, `aud`
 * (the client) and an `exp` as short as a code's.
 * @see https://openid.net/specs/oauth-v2-jarm.html#section-2.1
 */
export async function sendAuthorizationResponse(
  context: IdentityContext,
  reply: FastifyReply,
  target: AuthorizationResponseTarget,
  params: Readonly<Record<string, string | undefined>>,
): Promise<FastifyReply> {
  const defined = Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  let mode = target.mode;
  let sent = defined;
  if (mode.endsWith('jwt')) {
    const keys = await context.keys();
    const response = await signRs256(
      {
        iss: target.issuer,
        aud: target.clientId,
        exp: epochSeconds(context.clock) + context.config.lifetimes.code,
        ...defined,
      },
      keys.signingKey,
      keys.kid,
    );
    sent = { response };
    // `jwt` alone means the default mode of `code`: the query.
    mode = mode === 'jwt' ? 'query' : (mode.slice(0, -'.jwt'.length) as ResponseMode);
  }
  if (mode === 'form_post') {
    return sendHtml(reply, formPostPage(target.redirectUri, sent), {
      csp: contentSecurityPolicy(new URL(target.redirectUri).origin).replace(
        "default-src 'none';",
        `default-src 'none'; script-src ${SUBMIT_SCRIPT_HASH};`,
      ),
    });
  }
  if (mode === 'fragment') {
    const url = new URL(target.redirectUri);
    url.hash = new URLSearchParams(sent).toString();
    return reply.redirect(url.href, 302);
  }
  return reply.redirect(withQuery(target.redirectUri, sent), 302);
}
