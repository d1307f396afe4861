// @ts-check
// The peer: the npm package oauth2-mock-server with an RS256 key, answering its token endpoint
// (`POST /token`, one signature per client_credentials request). Prints its URL once listening.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
const { port } = server.address();
server.issuer.url = `http://127.0.0.1:${port}`;
process.stdout.write(`listening on ${server.issuer.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void server.stop());
