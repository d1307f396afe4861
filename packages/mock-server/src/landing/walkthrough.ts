import { YOUR_HEALTH_FILE_CLIENT, type ClientRegistration } from '../config.js';
import { realmUrls } from '../urls.js';

/**
 * The guide's steps as a runnable shell script against the mock at `origin` (bash, curl, openssl,
 * grep, sed) with the guide's `client` as registered: PKCE, authorize, login, selection, code
 * exchange, then the first FHIR read.
 */
export function curlWalkthrough(
  origin: string,
  client: ClientRegistration = YOUR_HEALTH_FILE_CLIENT,
): string {
  const urls = realmUrls(origin);
  const path = (url: string) => `$ORIGIN${url.slice(origin.length)}`;
  return `ORIGIN=${origin}
REDIRECT=${client.redirectUris[0] ?? ''}
VERIFIER=$(openssl rand -hex 32)
CHALLENGE=$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 | tr '+/' '-_' | tr -d '=\\n')
JAR=$(mktemp)
formAction() { grep -o "id=\\"$1\\" action=\\"[^\\"]*\\"" | sed 's/.*action="//; s/"$//; s/&amp;/\\&/g'; }

# 1. Authorize: the login page
LOGIN=$(curl -s -G -c "$JAR" -b "$JAR" "${path(urls.authorization)}" \\
  --data-urlencode response_type=code --data-urlencode client_id=${client.clientId} \\
  --data-urlencode "redirect_uri=$REDIRECT" --data-urlencode state=demo \\
  --data-urlencode "scope=openid fhirUser offline_access launch/patient patient/Patient.read patient/Condition.read" \\
  --data-urlencode "code_challenge=$CHALLENGE" --data-urlencode code_challenge_method=S256 \\
  --data-urlencode "aud=${path(urls.fhirBase)}" | formAction kc-form-login)

# 2. Sign in as David Smith: the selection screen
SELECT=$(curl -s -c "$JAR" -b "$JAR" --data-urlencode username=DavidFHIR \\
  --data-urlencode password=password "$LOGIN" | formAction kc-select-patient-form)

# 3. Share David's record with both permissions: the redirect carries the code
CODE=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" -d patient=428946492 \\
  --data-urlencode scope=patient/Patient.read --data-urlencode scope=patient/Condition.read \\
  -d accept=yes "$SELECT" | sed 's/.*[?&]code=//; s/&.*//')

# 4. Exchange the code (client_secret_basic)
TOKENS=$(curl -s -u ${client.clientId}:${client.secrets[0] ?? ''} \\
  -d grant_type=authorization_code -d "code=$CODE" --data-urlencode "redirect_uri=$REDIRECT" \\
  -d "code_verifier=$VERIFIER" "${path(urls.token)}")
echo "$TOKENS"
ACCESS=$(printf '%s' "$TOKENS" | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')

# 5. Read the patient
curl -s -H "Authorization: Bearer $ACCESS" "${path(urls.fhirBase)}/Patient/428946492"`;
}
