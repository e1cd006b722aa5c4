import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { printAnalyticsReport } from './analytics/analytics-report.js';
import type { BuiltTenant } from './analytics/build-tenant.js';
import { startChildServer } from './api/child-server.js';
import type { ChildServer } from './api/child-server.js';
import { load } from './analytics/query-load.js';
import type { LoadResult } from './analytics/query-load.js';
import { readSettings } from './analytics/settings.js';
import type { Settings } from './analytics/settings.js';
import {
  adminName,
  adminPassword,
  tenantSlug,
} from './analytics/tenant-load.js';

const warmupSeconds = 2;
const queryPaths = [
  'throughput',
  'created-vs-resolved',
  'wip',
  'cfd',
  'cycle-time',
  'lead-time',
  'time-in-status',
  'aging',
];

function progress(line: string): void {
  console.log(`  ${line}`);
}

function serviceEnv(dir: string): Record<string, string> {
  return {
    HAKKIRI_DATA_DIR: dir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
    HAKKIRI_MASTER_KEY: randomBytes(32).toString('base64'),
    HAKKIRI_SESSION_SECRET: randomBytes(32).toString('base64'),
  };
}

/**
 * The range the queries ask for: `days` ending `back` days before the
 * last day of the history, in UTC.
 */
function rangeQuery(days: number, back = 0): string {
  const day = 86_400_000;
  const to = new Date(Date.now() - back * day);
  const from = new Date(to.getTime() - (days - 1) * day);
  const date = (d: Date) => d.toISOString().slice(0, 10);

  return `from=${date(from)}&to=${date(to)}`;
}

/** Ranges that end on each of the last two years' days in turn. */
function rotatingRanges(days: number): () => string {
  let back = 0;

  return () => {
    back = (back + 1) % (730 - days);
    return rangeQuery(days, back);
  };
}

async function login(url: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenant: tenantSlug,
        username: adminName,
        password: adminPassword,
      }),
    });
    if (response.status === 201) {
      return ((await response.json()) as { token: string }).token;
    }
    if (attempt > 100) throw new Error(`login answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Waits until the daily snapshot the service takes as it starts is
 * ready: it copies the whole tenant, once a day, and measuring beside it
 * would count that copy in the queries' latency.
 */
async function untilDailySnapshotTaken(url: string, token: string) {
  const deadline = Date.now() + 10 * 60_000;

  for (;;) {
    const response = await fetch(`${url}/v1/snapshots`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { items: snapshots } = (await response.json()) as {
      items: { state: string }[];
    };
    const ready = snapshots.some(({ state }) => state === 'ready');
    if (ready && snapshots.every(({ state }) => state !== 'taking')) return;
    if (Date.now() > deadline) throw new Error('no daily snapshot in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function measureQueries(service: ChildServer, settings: Settings) {
  const token = await login(service.url);
  progress("the service's daily snapshot, untimed");
  await untilDailySnapshotTaken(service.url, token);
  const range = rangeQuery(settings.rangeDays);
  const measured: {
    name: string;
    result: LoadResult;
    varied: LoadResult;
  }[] = [];

  for (const name of queryPaths) {
    const url = `${service.url}/v1/analytics/${name}?${range}`;
    const check = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (check.status !== 200)
      throw new Error(`${name} answered ${check.status}`);

    progress(`${name}: ${settings.seconds} s at ${settings.rate} req/s, twice`);
    const at = { token, rate: settings.rate, serverPid: service.pid };
    await load({ ...at, url, seconds: warmupSeconds });
    const result = await load({ ...at, url, seconds: settings.seconds });
    // One turn of the ranges first, untimed: the service keeps the weeks
    // it read, as it does in use, but not the answers (a turn holds more
    // ranges than it keeps answers), so each measured answer is worked out.
    const ranges = rotatingRanges(settings.rangeDays);
    const nextPath = () => `/v1/analytics/${name}?${ranges()}`;
    const turn = (730 - settings.rangeDays) / settings.rate;
    await load({ ...at, url, seconds: Math.ceil(turn), nextPath });
    const varied = await load({
      ...at,
      url,
      seconds: settings.seconds,
      nextPath,
    });
    measured.push({ name, result, varied });
  }

  return measured;
}

async function measureHelloWorld(settings: Settings, dir: string) {
  const hello = await startChildServer({
    script: 'bench/api/hello-world-server.ts',
    env: process.env as Record<string, string>,
    logFile: path.join(dir, 'hello-world.log'),
  });
  try {
    await load({ url: hello.url, seconds: warmupSeconds });
    const flatOut = await load({
      url: hello.url,
      seconds: settings.seconds,
      serverPid: hello.pid,
    });
    const atRate = await load({
      url: hello.url,
      seconds: settings.seconds,
      rate: settings.rate,
      serverPid: hello.pid,
    });
    return { flatOut, atRate };
  } finally {
    await hello.stop();
  }
}

/**
 * The tenant, built and timed in a process of its own, which prints its
 * progress to stderr as it goes and what it measured last, on stdout.
 */
async function buildTenant(
  settings: Settings,
  env: Record<string, string>,
): Promise<BuiltTenant> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'analytics/build-tenant.ts'),
      String(settings.items),
      String(settings.changes),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`building the tenant exited with ${code}`);

  return JSON.parse(output.trim().split('\n').at(-1)!) as BuiltTenant;
}

/**
 * What the service logged at warn or above: its time, message and error,
 * which never carry customer content.
 */
function problemsLogged(logFile: string): string[] {
  const problems: string[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as {
      level?: number;
      time?: number;
      msg?: string;
      err?: { type?: string; message?: string };
    };
    if ((entry.level ?? 0) < 40) continue;
    const at = new Date(entry.time ?? 0).toISOString();
    const err = entry.err ? ` (${entry.err.type}: ${entry.err.message})` : '';
    problems.push(`${at} ${entry.msg}${err}`);
  }

  return problems;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-analytics-'));
  const env = serviceEnv(dir);
  const cpus = os.cpus();
  const loadAtStart = os.loadavg()[0]!;
  console.log(
    [
      'Analytics benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `a tenant of ${settings.items} work items and ${settings.changes} ` +
        'status changes, in SQLite files in ' +
        dir,
      '',
    ].join('\n'),
  );

  try {
    const built = await buildTenant(settings, env);

    progress('starting the service');
    // Its log goes to a file: read through a pipe, every request's line
    // would cost this process, whose timers pace the requests.
    const service = await startChildServer({
      script: 'src/main.ts',
      env: { ...(process.env as Record<string, string>), ...env },
      logFile: path.join(dir, 'service.log'),
    });
    let queries;
    try {
      queries = await measureQueries(service, settings);
    } finally {
      await service.stop();
    }
    const serviceProblems = problemsLogged(path.join(dir, 'service.log'));
    progress('Koa hello world');
    const hello = await measureHelloWorld(settings, dir);

    printAnalyticsReport({
      items: settings.items,
      changes: settings.changes,
      load: built.load,
      catchUp: built.catchUp,
      decodeOnly: built.decodeOnly,
      loadAverage: [loadAtStart, os.loadavg()[0]!],
      rate: settings.rate,
      rangeDays: settings.rangeDays,
      queries,
      helloFlatOut: hello.flatOut,
      helloAtRate: hello.atRate,
      serviceProblems,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
