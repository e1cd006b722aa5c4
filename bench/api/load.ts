import autocannon from 'autocannon';

import { startCpuCount } from './machine-load.js';

/** The parts of a request that change from one send to the next. */
export interface VariedRequest {
  headers: Record<string, string>;
  body: string;
  /** Another path and query on the target's host, for the paced load. */
  path?: string;
}

/** One HTTP request, sent over and over. */
export interface Target {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Makes each send a request of its own, its headers on top of the
   * target's, where repeats would only measure a dedupe.
   */
  vary?: () => VariedRequest;
  /** Told each answer's status and body. */
  onAnswer?: (status: number, body: string) => void;
  /** The server's process, whose CPU time is counted during the run. */
  serverPid?: number;
}

/** What one autocannon run measured. */
export interface Round {
  /** Successful (2xx) answers per second. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  succeeded: number;
  /** Non-2xx answers, connection errors and timeouts. */
  failed: number;
  /** How the failed ones failed: status codes, `errors` and `timeouts`. */
  failures: Record<string, number>;
  /** The server's CPU time per 2xx answer; undefined where unknown. */
  serverCpuMs: number | undefined;
}

export interface LoadShape {
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset runs flat out. */
  overallRate?: number;
}

/**
 * One autocannon run, pipelining 1: each connection waits for an answer
 * before it sends again.
 *
 * At a fixed rate autocannon's coordinated-omission correction is off: it
 * takes 1 ms as the expected interval whatever the rate, and so records a
 * made-up sample for every millisecond of every answer. Nothing is omitted
 * while answers come sooner than each connection's interval (500 ms for
 * 20/s over 10 connections); a slower server shows as a rate below the
 * one asked for.
 */
export async function runLoad(target: Target, shape: LoadShape) {
  const cpuCount =
    target.serverPid === undefined
      ? undefined
      : startCpuCount(target.serverPid);
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers ?? {},
    ...(target.body === undefined ? {} : { body: target.body }),
    ...requestsOf(target),
    connections: shape.connections,
    pipelining: 1,
    duration: shape.seconds,
    ...(shape.overallRate === undefined
      ? {}
      : { overallRate: shape.overallRate, ignoreCoordinatedOmission: true }),
  });
  const succeeded = result['2xx'];
  const cpuMs = cpuCount?.();

  return {
    rate: succeeded / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    succeeded,
    failed: result.non2xx + result.errors,
    failures: failuresOf(result),
    serverCpuMs: cpuMs === undefined ? undefined : cpuMs / succeeded,
  } satisfies Round;
}

/** Autocannon builds a request again before each send it sets up. */
function requestsOf(target: Target): Pick<autocannon.Options, 'requests'> {
  const { vary, onAnswer } = target;
  if (vary === undefined && onAnswer === undefined) return {};

  return {
    requests: [
      {
        ...(vary === undefined
          ? {}
          : {
              setupRequest: (request) => {
                const varied = vary();
                return {
                  ...request,
                  headers: { ...request.headers, ...varied.headers },
                  body: varied.body,
                };
              },
            }),
        ...(onAnswer === undefined
          ? {}
          : { onResponse: (status, body) => onAnswer(status, body) }),
      },
    ],
  };
}

function failuresOf(result: autocannon.Result): Record<string, number> {
  const failures: Record<string, number> = {};
  for (const [status, { count = 0 }] of Object.entries(
    result.statusCodeStats ?? {},
  )) {
    if (!status.startsWith('2')) failures[status] = count;
  }
  // Timeouts are counted among the errors too.
  if (result.errors > result.timeouts) {
    failures['errors'] = result.errors - result.timeouts;
  }
  if (result.timeouts > 0) failures['timeouts'] = result.timeouts;

  return failures;
}
