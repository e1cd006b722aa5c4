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
}

export interface LoadOptions {
  url: string;
  token?: string;
  seconds: number;
  /** Requests per second across all connections; none for flat out. */
  rate?: number;
  connections?: number;
}

/** Runs autocannon against one URL and sums up what it measured. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections ?? 10,
    ...(options.rate && { overallRate: options.rate }),
    ...(options.token && {
      headers: { authorization: `Bearer ${options.token}` },
    }),
  });

  return {
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    rate: result.requests.average,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}
