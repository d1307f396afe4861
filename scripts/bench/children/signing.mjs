// @ts-check
// The machine's RS256 signing throughput with jose: one worker thread per core, each keeping two
// signatures in flight for argv[2] seconds. Prints `{ signaturesPerSecond, threads }` as JSON.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SignJWT, generateKeyPair } from 'jose';

if (isMainThread) {
  const seconds = Number(process.argv[2] ?? 5);
  const threads = availableParallelism();
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { seconds } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const total = counts.reduce((sum, count) => sum + count, 0);
  process.stdout.write(`${JSON.stringify({ signaturesPerSecond: total / seconds, threads })}\n`);
} else {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const claims = { iss: 'http://127.0.0.1/bench', sub: 'bench', aud: 'bench', scope: 'openid' };
  const deadline = performance.now() + workerData.seconds * 1000;
  let count = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await new SignJWT({ ...claims, jti: String(count) })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      count += 1;
    }
  };
  await Promise.all([loop(), loop()]);
  parentPort?.postMessage(count);
}
