import { parentPort, workerData } from 'node:worker_threads';
import { generateBatch } from './history';
import { ChunkSink, makeSeedEnv, type WorkerInput, type WorkerMessage } from './rows';

/**
 * Generates the demo history in a worker thread while the main thread writes it to SQLite
 * (bulk.ts). Posts the same rows, in the same order, as an in-process run would write them.
 */
function run(): void {
  const input = workerData as WorkerInput;
  const port = parentPort!;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const control = new Int32Array(input.control);
  const rulesOn = (date: string) => {
    const i = input.ruleIndexByDate[date];
    if (i === undefined) throw new Error(`demo seed worker: no rule set for business date ${date}`);
    return input.ruleSets[i]!;
  };
  const env = makeSeedEnv(input.params, rulesOn);
  const sink = new ChunkSink(input.membersPerChunk, (chunk) => {
    post({ t: 'chunk', json: JSON.stringify(chunk) });
    Atomics.add(control, 0, 1);
    // Backpressure: wait while the writer is more than maxChunksAhead chunks behind.
    for (;;) {
      const written = Atomics.load(control, 1);
      if (Atomics.load(control, 0) - written <= input.maxChunksAhead) break;
      Atomics.wait(control, 1, written, 1000);
    }
  });
  for (let from = 0; from < input.members; from += input.batchSize) {
    const to = Math.min(input.members, from + input.batchSize);
    post({ t: 'batch', from, to });
    generateBatch(env, from, to, sink);
    sink.flush();
    post({ t: 'batchEnd', from, to });
  }
  post({ t: 'end', receiptSeq: env.receiptSeq.n });
}

try {
  run();
} catch (e) {
  parentPort?.postMessage({ t: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined } satisfies WorkerMessage);
}
