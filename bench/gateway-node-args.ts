/**
 * Node flags the gateway runs with in production: the Dockerfile's CMD and `npm start` pass the
 * same. A young generation of 4 MB semi-spaces (V8's default is 16 MB) keeps the peak RSS about
 * 30 MB lower under load for the same throughput (docs/benchmarks.md, session 5).
 */
export const GATEWAY_NODE_ARGS: readonly string[] = ['--max-semi-space-size=4']
