import autocannon from 'autocannon';

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
  /** Requests per second across all connections; none for flat out. */
  rate?: number;
  connections?: number;
  /** The server's CPU time so far, in seconds, to charge per answer. */
  cpuSeconds?: () => number | undefined;
  /** A path for each request in turn, instead of the URL's own. */
  nextPath?: () => string;
}

/** Runs autocannon against one URL and sums up what it measured. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = options.cpuSeconds?.();
  const result = await autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections ?? 10,
    ...(options.rate && { overallRate: options.rate }),
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
