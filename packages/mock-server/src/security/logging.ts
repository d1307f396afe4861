import {
  LogController,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config.js';

// Query parameters that carry credentials or one-time values; their values never reach the logs.
const SENSITIVE_PARAMS = new Set([
  'code',
  'code_verifier',
  'session_code',
  'token',
  'refresh_token',
  'access_token',
  'id_token_hint',
  'client_secret',
  'password',
  'state',
  'nonce',
  'login_hint',
]);

/** `url` with the values of sensitive query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const query = new URLSearchParams(url.slice(queryAt + 1));
  for (const name of new Set(query.keys())) {
    if (SENSITIVE_PARAMS.has(name)) query.set(name, '[redacted]');
  }
  return `${url.slice(0, queryAt)}?${query.toString()}`;
}

/**
 * Fastify's logger for `level`: request lines without credentials (no `Authorization`, no
 * cookies, no sensitive query values); bodies are never logged. `pretty` writes pino-pretty's
 * lines, synchronously, for a person at a terminal.
 */
export function loggerOptions(
  level: LogLevel,
  format: LogFormat = 'json',
): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  const stream =
    format === 'pretty'
      ? pretty({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', sync: true })
      : undefined;
  return {
    ...(stream ? { stream } : {}),
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'res.headers.location',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.hostname,
        remoteAddress: request.ip,
      }),
    },
  };
}

/**
 * For the `pretty` format: one line per request, `GET /path 200 (1.2 ms)`, instead of Fastify's
 * two records ("incoming request", "request completed"), with the same redaction.
 */
export class RequestLineLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = `${request.method} ${redactUrl(request.url)} ${reply.statusCode} (${reply.elapsedTime.toFixed(1)} ms)`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}
