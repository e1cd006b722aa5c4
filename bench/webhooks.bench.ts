import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { JiraDouble } from '../test/doubles/jira/jira-double.js';
import { startChildServer } from './api/child-server.js';
import type { ChildServer } from './api/child-server.js';
import type { Target } from './api/load.js';
import { startLoadCount } from './api/machine-load.js';
import { interleaveRounds } from './api/rounds.js';
import { startServiceUnderTest } from './api/service-under-test.js';
import type { ServiceUnderTest } from './api/service-under-test.js';
import {
  createBenchConnection,
  firstAcceptedDelivery,
} from './webhooks/bench-connection.js';
import { DeliveryMaker } from './webhooks/deliveries.js';
import { DeliveryTally } from './webhooks/delivery-tally.js';
import { runPaced } from './api/paced-load.js';
import { readWebhookSettings } from './webhooks/webhook-settings.js';
import type { WebhookSettings } from './webhooks/webhook-settings.js';
import { printWebhookReport } from './webhooks/webhooks-report.js';

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

/** The service may reach the double on loopback; no timer syncs. */
function startService(
  dir: string,
  settings: WebhookSettings,
): Promise<ServiceUnderTest> {
  const profile = settings.cpuProfileDir;

  return startServiceUnderTest(dir, {
    env: {
      HAKKIRI_ALLOW_PRIVATE_TARGETS: 'true',
      HAKKIRI_SYNC_INTERVAL: 'off',
    },
    ...(profile === undefined
      ? {}
      : { nodeArguments: ['--cpu-prof', `--cpu-prof-dir=${profile}`] }),
  });
}

async function measure(
  hello: ChildServer,
  service: ServiceUnderTest,
  jira: JiraDouble,
  settings: WebhookSettings,
) {
  const connection = await createBenchConnection(service, jira);
  const deliveries = new DeliveryMaker(connection.secret);
  progress(
    `deliveries made from ${deliveries.fixtures.length} fixtures, in turn`,
  );
  await firstAcceptedDelivery(connection, deliveries);

  const tally = new DeliveryTally();
  const delivery: Target = {
    url: connection.url,
    method: 'POST',
    vary: deliveries.next,
    onAnswer: tally.record,
    serverPid: service.server.pid,
  };
  const loadCount = startLoadCount([hello.pid, service.server.pid]);
  const [helloRounds, flatOutRounds, rateRounds] = await interleaveRounds(
    [
      {
        target: { url: `${hello.url}/`, serverPid: hello.pid },
        shape: { connections: settings.connections, seconds: settings.seconds },
      },
      {
        target: delivery,
        shape: { connections: settings.connections, seconds: settings.seconds },
      },
      {
        target: delivery,
        shape: {
          connections: settings.rateConnections,
          seconds: settings.rateSeconds,
          overallRate: settings.rate,
        },
        runner: runPaced,
      },
    ],
    { ...settings, settleMs, progress },
  );

  return {
    rate: settings.rate,
    hello: helloRounds!,
    flatOut: flatOutRounds!,
    atRate: rateRounds!,
    tally,
    load: loadCount?.(),
  };
}

function expectedSeconds(settings: WebhookSettings): number {
  const { seconds, rounds, rateSeconds, warmupSeconds } = settings;
  const runs = 3 * (rounds + 1);

  return (
    3 * warmupSeconds +
    rounds * (2 * seconds + rateSeconds) +
    (runs * settleMs) / 1000
  );
}

function printHeader(dir: string, settings: WebhookSettings): void {
  const cpus = os.cpus();
  const { connections, seconds, rounds, rate, rateSeconds } = settings;

  console.log(
    [
      'Webhook benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `files in ${dir}; each server in a child process ` +
        '(node --import tsx), the load and a Jira double in this one',
      'service: src/main.ts on SQLite stores in a fresh data folder, ' +
        'log level info (a line per request, to a file)',
      'baseline: a plain Koa app answering {"hello":"world"}',
      'deliveries: real fixture bodies, each a new issue, changelog and ' +
        'delivery id, signed with the connection secret',
      `flat out: autocannon, ${connections} connections, pipelining 1, ` +
        `${seconds} s per round; fixed rate: ${rate}/s evenly spaced ` +
        `(open loop, up to ${settings.rateConnections} in flight), ` +
        `${rateSeconds} s per round`,
      `${rounds} rounds of hello-world, deliveries flat out, deliveries at ` +
        `${rate}/s, taken in turn, after ${settings.warmupSeconds} s of ` +
        `warm-up each (about ${Math.round(expectedSeconds(settings))} s)`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = readWebhookSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-webhooks-'));
  const started: { stop(): Promise<void> }[] = [];
  const jira = await JiraDouble.start({
    kind: 'jira-cloud',
    recordRequests: false,
  });

  try {
    printHeader(dir, settings);
    progress('starting the hello-world server and the service');
    const hello = await startHelloWorld(dir);
    started.push(hello);
    const service = await startService(dir, settings);
    started.push(service.server);

    printWebhookReport(await measure(hello, service, jira, settings));
  } finally {
    for (const server of started) await server.stop();
    await jira.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
