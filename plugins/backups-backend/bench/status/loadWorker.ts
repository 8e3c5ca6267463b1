/**
 * The load generator, in a worker thread of its own so that it does not share
 * the backend's event loop: `concurrency` clients, each sending its next
 * request as soon as its last one is answered, over keep-alive connections.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { LoadRequest, LoadResponse } from './protocol';

async function run(load: LoadRequest): Promise<LoadResponse> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  async function client() {
    while (next < load.requests) {
      const url = load.urls[next % load.urls.length];
      next += 1;
      const startedAt = performance.now();
      try {
        const response = await fetch(url, { headers: load.headers });
        await response.arrayBuffer();
        if (response.status !== 200) {
          failures[response.status] = (failures[response.status] ?? 0) + 1;
        }
      } catch {
        failures.network = (failures.network ?? 0) + 1;
      }
      latencies.push(performance.now() - startedAt);
    }
  }
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: load.concurrency }, client));
  return { latencies, elapsedMs: performance.now() - startedAt, failures };
}

parentPort!.on('message', ({ id, request }) => {
  run(request).then(
    response => parentPort!.postMessage({ id, response }),
    error => parentPort!.postMessage({ id, error: String(error) }),
  );
});
