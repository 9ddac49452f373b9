/**
 * How the worker process is started, wherever it is started (npm scripts, `npm start`, the
 * Docker image, the tests and the benchmarks). V8 otherwise lets the heap grow lazily
 * towards a limit set by the machine's memory (about 2 GB here) before collecting hard, so
 * a long fan-out's resident size climbs without any leak. Held at 192 MB, the worker runs
 * a 20,000-school fan-out at the same rate in a steady footprint (bench/RESULTS.md).
 */
export const WORKER_HEAP_MB = 192;
export const WORKER_NODE_ARGS: readonly string[] = [`--max-old-space-size=${WORKER_HEAP_MB}`];
