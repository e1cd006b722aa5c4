import autocannon from 'autocannon';

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
  /** The server's CPU time so far, in seconds, to charge per answer. */
  cpuSeconds?: () => number | undefined;
  /** The server's process, whose CPU time the paced load counts. */
  serverPid?: number | undefined;
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
  return options.rate === undefined ? flatOut(options) : paced(options);
}

async function paced(options: LoadOptions): Promise<LoadResult> {
  const { nextPath, token } = options;
  const round = await runPaced(
    {
      url: options.url,
      method: 'GET',
      ...(token && { headers: { authorization: `Bearer ${token}` } }),
      ...(nextPath && {
        vary: () => ({ headers: {}, body: '', path: nextPath() }),
      }),
      ...(options.serverPid !== undefined && { serverPid: options.serverPid }),
    },
    {
      connections: options.connections ?? 10,
      seconds: options.seconds,
      overallRate: options.rate!,
    },
  );

  return {
    requests: round.succeeded + round.failed,
    p50: round.p50Ms,
    p99: round.p99Ms,
    max: round.maxMs,
    rate: round.rate,
    failed: round.failed,
    ...(round.serverCpuMs !== undefined && { cpuMs: round.serverCpuMs }),
  };
}

async function flatOut(options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = options.cpuSeconds?.();
  const result = await autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections ?? 10,
    ...(options.nextPath && {
      requests: [
        {
          method: 'GET' as const,
          setupRequest: (request) => ({
            ...request,
            path: options.nextPath!(),
          }),
        },
      ],
    }),
    ...(options.token && {
      headers: { authorization: `Bearer ${options.token}` },
    }),
  });

  const cpuAfter = options.cpuSeconds?.();
  const cpuMs =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.requests.total);

  return {
    ...(cpuMs !== undefined && { cpuMs }),
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    rate: result.requests.average,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}
