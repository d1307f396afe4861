// @ts-check
// Preloaded (`node --expose-gc --import`) into a server under test: answers "memory" on the IPC
// channel with process.memoryUsage() after a full collection. The channel is unref'd so that it
// never keeps a server alive after its own clean shutdown.
if (process.send) {
  process.on('message', (message) => {
    if (message !== 'memory') return;
    globalThis.gc?.();
    process.send?.(process.memoryUsage());
  });
  process.channel?.unref();
}
