import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { LoadShape, Round, Target } from './load.js';
import { startCpuCount } from './machine-load.js';

/** An answer slower than this counts as a timeout. */
const answerTimeoutMs = 10_000;

interface Answer {
  status: number | 'errors' | 'timeouts';
  /** From the moment the request was due, not when it left. */
  latencyMs: number;
}

/**
 * Sends requests at a fixed rate, evenly spaced, whatever the answers
 * do: an open loop. Autocannon's own rate limit sends each second's
 * quota as fast as the connections allow and then waits for the next
 * second, so the server sees bursts at full speed, not the rate. Here
 * each request is due at its own moment, at most `connections` are in
 * flight (the rest wait for a socket), and its latency counts from when
 * it was due, so a server that falls behind shows it in the latency.
 */
export async function runPaced(
  target: Target,
  shape: LoadShape,
): Promise<Round> {
  const rate = shape.overallRate;
  if (rate === undefined) throw new Error('a paced run needs a rate');

  const agent = new Agent({ keepAlive: true, maxSockets: shape.connections });
  const cpuCount =
    target.serverPid === undefined
      ? undefined
      : startCpuCount(target.serverPid);
  const interval = 1000 / rate;
  const total = Math.round(rate * shape.seconds);
  const answers: Promise<Answer>[] = [];
  const start = performance.now();

  try {
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.floor((performance.now() - start) / interval) + 1;
        while (answers.length < Math.min(due, total)) {
          answers.push(send(target, agent, start + answers.length * interval));
        }
        if (answers.length >= total) return resolve();

        const wait = start + answers.length * interval - performance.now();
        setTimeout(tick, Math.max(0, wait));
      };
      tick();
    });
    const settled = await Promise.all(answers);
    const seconds = (performance.now() - start) / 1000;

    return roundOf(settled, seconds, cpuCount?.());
  } finally {
    agent.destroy();
  }
}

function send(target: Target, agent: Agent, dueAt: number): Promise<Answer> {
  const varied = target.vary?.();
  const body = varied?.body ?? target.body ?? '';
  const headers = { ...target.headers, ...varied?.headers };

  const url = varied?.path ? new URL(varied.path, target.url) : target.url;

  return new Promise((resolve) => {
    const answered = (status: Answer['status']) =>
      resolve({ status, latencyMs: performance.now() - dueAt });
    const sent = request(
      url,
      { method: target.method ?? 'POST', agent, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          target.onAnswer?.(status, Buffer.concat(chunks).toString('utf8'));
          answered(status);
        });
        response.on('error', () => answered('errors'));
      },
    );
    sent.setTimeout(answerTimeoutMs, () => {
      sent.destroy();
      answered('timeouts');
    });
    sent.on('error', () => answered('errors'));
    sent.end(body);
  });
}

function roundOf(
  answers: readonly Answer[],
  seconds: number,
  cpuMs: number | undefined,
): Round {
  const latencies = answers
    .map((answer) => answer.latencyMs)
    .sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  let succeeded = 0;
  for (const { status } of answers) {
    if (typeof status === 'number' && status >= 200 && status < 300) {
      succeeded += 1;
    } else {
      failures[String(status)] = (failures[String(status)] ?? 0) + 1;
    }
  }

  return {
    rate: succeeded / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? 0,
    succeeded,
    failed: answers.length - succeeded,
    failures,
    serverCpuMs: cpuMs === undefined ? undefined : cpuMs / succeeded,
  };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;

  const rank = Math.ceil(share * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
