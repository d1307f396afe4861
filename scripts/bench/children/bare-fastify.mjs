// @ts-check
// The baseline: a bare Fastify app with one route answering the bytes of the file in argv[2] as
// argv[3] (content type), at the path argv[4]. Prints its URL once listening; argv[5] is the port
// (0 picks one); argv[6] `buffer` sends the bytes as a Buffer, as the mock sends its discovery
// document. Also the bare app whose cold start the mock's is compared with.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [file, contentType, path, port = '0', kind = 'string'] = process.argv.slice(2);
if (file === undefined || contentType === undefined || path === undefined) {
  throw new Error('Usage: bare-fastify.mjs <file> <content type> <path> [port]');
}
// What the mock sends for the same answer: a string for a resource it keeps serialised (a Buffer
// would skip the UTF-8 encoding that every string payload costs, and flatter the baseline), a
// Buffer for the answers it keeps encoded.
const body = kind === 'buffer' ? readFileSync(file) : readFileSync(file, 'utf8');
const app = Fastify({ logger: false });
app.get(path, (_request, reply) => reply.header('content-type', contentType).send(body));
const url = await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`listening on ${url}\n`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void app.close());
