import { ResponseInvalidError } from './errors.js';
import { isJsonObject } from './transport.js';

/**
 * A token response in the shape the app uses: absolute expiries in epoch milliseconds, NextGen's
 * SMART context fields normalised (trimmed ids, a real boolean banner flag) and the untouched
 * response in `raw`.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#response-5
 */
export interface SmartTokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  /** Epoch milliseconds: when the access token expires. */
  expiresAt: number;
  /** Seconds, as the server sent `expires_in`. */
  expiresIn: number;
  refreshToken?: string;
  /** Epoch milliseconds; undefined when `refresh_expires_in` is 0 (an offline token) or absent. */
  refreshExpiresAt?: number;
  idToken?: string;
  scope: string;
  patient?: string;
  resource?: string;
  needPatientBanner?: boolean;
  smartStyleUrl?: string;
  practiceId?: string;
  clientType?: string;
  subscriptionType?: string;
  sessionState?: string;
  notBeforePolicy?: number;
  raw: Record<string, unknown>;
}

/** What {@link parseTokenResponse} needs besides the body: the time the response arrived. */
export interface ParseTokenResponseOptions {
  /** Epoch milliseconds. */
  now: number;
}

/**
 * Parses a token endpoint's JSON body into a {@link SmartTokenSet}, surviving NextGen's quirks
 * (`patient: " 428946492"`, `need_patient_banner: "false"`, a padded `smart_style_url`). Throws
 * {@link ResponseInvalidError} for a body without `access_token`, a non-Bearer `token_type` or a
 * field of the wrong type.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#response-5
 */
export function parseTokenResponse(
  json: unknown,
  options: ParseTokenResponseOptions,
): SmartTokenSet {
  if (!isJsonObject(json)) throw new ResponseInvalidError('The token response is not an object.');
  const accessToken = text(json, 'access_token');
  if (accessToken === undefined) {
    throw new ResponseInvalidError('The token response has no access_token.');
  }
  const tokenType = text(json, 'token_type');
  if (tokenType?.toLowerCase() !== 'bearer') {
    throw new ResponseInvalidError(
      `The token response has token_type "${tokenType ?? ''}"; only Bearer is supported.`,
    );
  }
  const expiresIn = seconds(json, 'expires_in');
  if (expiresIn === undefined) {
    throw new ResponseInvalidError('The token response has no expires_in.');
  }
  const refreshExpiresIn = seconds(json, 'refresh_expires_in');
  const set: SmartTokenSet = {
    accessToken,
    tokenType: 'Bearer',
    expiresAt: options.now + expiresIn * 1000,
    expiresIn,
    scope: text(json, 'scope') ?? '',
    raw: json,
  };
  // Keycloak sends refresh_expires_in: 0 for offline tokens, which expire only when idle or revoked.
  if (refreshExpiresIn !== undefined && refreshExpiresIn > 0) {
    set.refreshExpiresAt = options.now + refreshExpiresIn * 1000;
  }
  assign(set, 'refreshToken', text(json, 'refresh_token'));
  assign(set, 'idToken', text(json, 'id_token'));
  assign(set, 'patient', text(json, 'patient'));
  assign(set, 'resource', text(json, 'resource'));
  assign(set, 'needPatientBanner', flag(json, 'need_patient_banner'));
  assign(set, 'smartStyleUrl', text(json, 'smart_style_url'));
  assign(set, 'practiceId', text(json, 'practice_id'));
  assign(set, 'clientType', text(json, 'client_type'));
  assign(set, 'subscriptionType', text(json, 'subscription_type'));
  assign(set, 'sessionState', text(json, 'session_state'));
  assign(set, 'notBeforePolicy', seconds(json, 'not-before-policy'));
  return set;
}

function assign<K extends keyof SmartTokenSet>(
  set: SmartTokenSet,
  key: K,
  value: SmartTokenSet[K] | undefined,
): void {
  if (value !== undefined) set[key] = value;
}

// NextGen pads ids and URLs with spaces (`" 428946492"`); an all-blank value counts as absent.
function text(json: Record<string, unknown>, field: string): string | undefined {
  const value = json[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    throw new ResponseInvalidError(`The token response field "${field}" is not a string.`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function seconds(json: Record<string, unknown>, field: string): number | undefined {
  const value = json[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    throw new ResponseInvalidError(
      `The token response field "${field}" is not a non-negative number.`,
    );
  }
  return number;
}

// NextGen sends need_patient_banner as the string "false"; SMART defines a boolean.
function flag(json: Record<string, unknown>, field: string): boolean | undefined {
  const value = json[field];
  if (value === undefined || value === null || typeof value === 'boolean')
    return value ?? undefined;
  const normalised = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new ResponseInvalidError(`The token response field "${field}" is not a boolean.`);
}
