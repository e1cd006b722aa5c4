import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { readApiSettings } from './api/api-settings.js';
import type { ApiSettings } from './api/api-settings.js';
import { printApiReport } from './api/api-report.js';
import { startChildServer } from './api/child-server.js';
import type { ChildServer } from './api/child-server.js';
import { runLoad } from './api/load.js';
import { startLoadCount } from './api/machine-load.js';
import type { LoadShape, Target } from './api/load.js';
import { interleaveRounds } from './api/rounds.js';
import {
  benchAccount,
  startServiceUnderTest,
} from './api/service-under-test.js';
import type { ServiceUnderTest } from './api/service-under-test.js';

const settleMs = 500;

function progress(line: string): void {
  console.log(`  ${line}`);
}

function startHelloWorld(dir: string): Promise<ChildServer> {
  return startChildServer({
    script: 'bench/api/hello-world-server.ts',
    env: process.env as Record<string, string>,
    logFile: path.join(dir, 'hello-world.log'),
  });
}

function loginTarget(service: ServiceUnderTest): Target {
  return {
    url: `${service.server.url}/v1/sessions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(benchAccount),
    serverPid: service.server.pid,
  };
}

async function measure(
  hello: ChildServer,
  service: ServiceUnderTest,
  settings: ApiSettings,
) {
  const flatOut: LoadShape = {
    connections: settings.connections,
    seconds: settings.seconds,
  };
  const login = loginTarget(service);
  const loadCount = startLoadCount([hello.pid, service.server.pid]);
  const [helloRounds, meRounds, loginRounds] = await interleaveRounds(
    [
      {
        target: { url: `${hello.url}/`, serverPid: hello.pid },
        shape: flatOut,
      },
      {
        target: {
          url: `${service.server.url}/v1/me`,
          headers: { authorization: `Bearer ${service.token}` },
          serverPid: service.server.pid,
        },
        shape: flatOut,
      },
      {
        target: login,
        shape: {
          connections: settings.connections,
          seconds: settings.loginSeconds,
          overallRate: settings.loginRate,
        },
      },
    ],
    { ...settings, settleMs, progress },
  );

  // It has no target, so it runs once, after the rounds.
  progress('logins flat out');
  const loginFlatOut = await runLoad(login, flatOut);
  const load = loadCount?.();

  return {
    loginRate: settings.loginRate,
    hello: helloRounds!,
    me: meRounds!,
    loginAtRate: loginRounds!,
    loginFlatOut: [loginFlatOut],
    load,
  };
}

function expectedSeconds(settings: ApiSettings): number {
  const { seconds, rounds, loginSeconds, warmupSeconds } = settings;
  const runs = 3 * (rounds + 1) + 1;

  return (
    3 * warmupSeconds +
    rounds * (2 * seconds + loginSeconds) +
    seconds +
    (runs * settleMs) / 1000
  );
}

function printHeader(dir: string, settings: ApiSettings): void {
  const cpus = os.cpus();
  const { connections, seconds, rounds, loginRate, loginSeconds } = settings;

  console.log(
    [
      'API benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `files in ${dir}; each server in a child process ` +
        '(node --import tsx), autocannon in this one',
      'service: src/main.ts on SQLite stores in a fresh data folder, ' +
        'log level info (a line per request, to a file)',
      'baseline: a plain Koa app answering {"hello":"world"}',
      `autocannon: ${connections} connections, pipelining 1; ` +
        `flat out ${seconds} s per round; logins at ${loginRate}/s for ` +
        `${loginSeconds} s per round`,
      `${rounds} rounds of hello-world, /v1/me, logins, taken in turn, ` +
        `after ${settings.warmupSeconds} s of warm-up each ` +
        `(about ${Math.round(expectedSeconds(settings))} s)`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = readApiSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-api-'));
  const started: ChildServer[] = [];

  try {
    printHeader(dir, settings);
    progress('starting the hello-world server and the service');
    const hello = await startHelloWorld(dir);
    started.push(hello);
    const service = await startServiceUnderTest(dir);
    started.push(service.server);

    printApiReport(await measure(hello, service, settings));
  } finally {
    for (const server of started) await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
