import { runLoad } from '../api/load.js';
import type { Round, Target } from '../api/load.js';
import { runPaced } from '../api/paced-load.js';

export interface LoadResult {
  requests: number;
  /** Latencies in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Requests per second achieved. */
  rate: number;
  failed: number;
  /** How the failed ones failed: status codes, `errors` and `timeouts`. */
  failures: Record<string, number>;
  /** The server's CPU time per answer, in ms, when it could be read. */
  cpuMs?: number;
}

export interface LoadOptions {
  url: string;
  token?: string;
  seconds: number;
  /**
   * Requests per second across all connections, evenly spaced (an open
   * loop); none for flat out.
   */
  rate?: number;
  connections?: number;
  /** The server's process, whose CPU time is charged per answer. */
  serverPid?: number;
  /** A path for each request in turn, instead of the URL's own. */
  nextPath?: () => string;
}

/**
 * Loads one URL and sums up what was measured: flat out with autocannon,
 * or at a rate with requests due at even intervals. Autocannon's own rate
 * sends each connection's share at the same moments, so at 200/s over 10
 * connections the server met bursts of 10, and a p99 that was the time
 * to answer the tenth.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const { nextPath, token, rate } = options;
  const target: Target = {
    url: options.url,
    method: 'GET',
    ...(token && { headers: { authorization: `Bearer ${token}` } }),
    ...(nextPath && {
      vary: () => ({ headers: {}, body: '', path: nextPath() }),
    }),
    ...(options.serverPid !== undefined && { serverPid: options.serverPid }),
  };
  const shape = {
    connections: options.connections ?? 10,
    seconds: options.seconds,
  };

  return resultOf(
    rate === undefined
      ? await runLoad(target, shape)
      : await runPaced(target, { ...shape, overallRate: rate }),
  );
}

function resultOf(round: Round): LoadResult {
  return {
    requests: round.succeeded + round.failed,
    p50: round.p50Ms,
    p99: round.p99Ms,
    max: round.maxMs,
    rate: round.rate,
    failed: round.failed,
    failures: round.failures,
    ...(round.serverCpuMs !== undefined && { cpuMs: round.serverCpuMs }),
  };
}
