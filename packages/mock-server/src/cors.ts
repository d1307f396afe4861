import type { onRequestHookHandler } from 'fastify';

/**
 * The route table's `public` policy: any page may read the answer, a document without secrets.
 * @see https://fetch.spec.whatwg.org/#http-access-control-allow-origin
 */
export const allowAnyOrigin: onRequestHookHandler = (_request, reply, done) => {
  reply.header('access-control-allow-origin', '*');
  done();
};
