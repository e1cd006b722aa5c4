import os from 'node:os';

import { addGeneratedIssues } from '../test/doubles/jira/generated-issues.js';
import { JiraDouble } from '../test/doubles/jira/jira-double.js';
import { startLoadCount } from './api/machine-load.js';
import { readSyncSettings } from './sync/sync-settings.js';
import type { SyncSettings } from './sync/sync-settings.js';
import { printSyncReport } from './sync/sync-report.js';
import { rawRound, syncRound } from './sync/sync-runs.js';
import type { SyncRound } from './sync/sync-runs.js';

function progress(line: string): void {
  console.log(`  ${line}`);
}

function printHeader(settings: SyncSettings): void {
  const cpus = os.cpus();
  const { kind, issues, histories, longEvery, longHistories } = settings;

  console.log(
    [
      'Sync benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `a ${kind} double over HTTPS in this process: ${issues} issues, ` +
        `${histories} status changes each, every ${longEvery}th with ` +
        `${longHistories} (past the inline changelog)`,
      'sync: JiraSync as connectionServices wires it, HttpJiraClient, ' +
        'encrypting SQLite stores opened fresh for each round',
      'baseline: the same search pages and changelogs fetched with bare ' +
        'node:https and JSON.parse',
      `${settings.rounds} rounds of each, taken in turn, after a warm-up of each`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = readSyncSettings();
  printHeader(settings);
  const double = await JiraDouble.start({
    kind: settings.kind,
    recordRequests: false,
  });

  try {
    progress('filling the double');
    addGeneratedIssues(double, {
      count: settings.issues,
      historiesPerIssue: settings.histories,
      longChangelogEvery: settings.longEvery,
      longHistories: settings.longHistories,
    });
    double.prerender();

    progress('warming up');
    await syncRound(double);
    await rawRound(double);

    const syncs: SyncRound[] = [];
    const raw: SyncRound[] = [];
    const loadCount = startLoadCount([]);
    for (let round = 1; round <= settings.rounds; round++) {
      progress(`round ${round} of ${settings.rounds}`);
      syncs.push(await syncRound(double));
      raw.push(await rawRound(double));
    }

    printSyncReport({
      issues: settings.issues,
      syncs,
      raw,
      load: loadCount?.(),
    });
  } finally {
    await double.close();
  }
}

await main();
