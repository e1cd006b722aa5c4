import type { EventStore } from '../../../src/ports/event-store.js';
import { pause } from '../../support/waiting.js';
import { appendTicks } from './counter-events.js';
import type { LogSize } from './counter-events.js';
import type { ReadStoreSpec, RunnerReport } from './runner-messages.js';
import type { RunnerProcesses } from './runner-process.js';

export interface CrashPlan {
  size: LogSize;
  /** Events in the log before the first child starts; the rest follow. */
  appendedFirst: number;
  /** Pause between appends of the rest, so they land while children run. */
  appendPauseMs: number;
  /** Most events per batch in the children. */
  batchSize: number;
  /**
   * A wait before each event a child applies: a store fast enough to
   * catch up between kills would leave nothing to kill mid-catch-up.
   */
  applyDelayMs: number;
  kills: number;
  /** Each kill comes this long after the child has begun applying. */
  killAfterMs: { min: number; max: number };
  catchUpTimeoutMs: number;
}

export interface CrashSetup {
  processes: RunnerProcesses;
  eventStore: EventStore;
  readStore: ReadStoreSpec;
}

/** One life of a child, ended by SIGKILL or, the last one, by a stop. */
export interface RunnerLife {
  startedFrom: bigint | undefined;
  /** The last report the child sent before it died. */
  lastReport: RunnerReport;
  /** The last event it handed to the read store, committed or not. */
  lastApplied: bigint | undefined;
}

export interface CrashRun {
  lives: RunnerLife[];
  lastPosition: bigint;
}

/**
 * Fills the log while a projection runner in a child process follows it,
 * kills the child with SIGKILL at random moments and starts it again, then
 * lets the last child catch up with the whole log and stop cleanly.
 */
export async function runWithKills(
  setup: CrashSetup,
  plan: CrashPlan,
): Promise<CrashRun> {
  const { size } = plan;
  await appendTicks(setup.eventStore, size, {
    from: 0,
    to: plan.appendedFirst,
  });

  const appending = appendTicks(setup.eventStore, size, {
    from: plan.appendedFirst,
    to: size.events,
    pauseMs: plan.appendPauseMs,
  });
  const [appended, killed] = await Promise.allSettled([
    appending,
    killRepeatedly(setup, plan),
  ]);
  // Both settle first, so nothing is left appending when the test ends.
  if (appended.status === 'rejected') throw appended.reason;
  if (killed.status === 'rejected') throw killed.reason;

  const lastPosition = appended.value;
  const last = await runToTheEnd(setup, plan, lastPosition);

  return { lives: [...killed.value, last], lastPosition };
}

async function killRepeatedly(
  setup: CrashSetup,
  plan: CrashPlan,
): Promise<RunnerLife[]> {
  const lives: RunnerLife[] = [];
  for (let kill = 0; kill < plan.kills; kill++) {
    lives.push(await liveAndDie(setup, plan));
  }

  return lives;
}

async function liveAndDie(
  setup: CrashSetup,
  plan: CrashPlan,
): Promise<RunnerLife> {
  const child = setup.processes.start(setup.readStore);
  const applying = await child.until(
    (report) => report.lastApplied !== undefined,
    plan.catchUpTimeoutMs,
  );

  const { min, max } = plan.killAfterMs;
  await pause(min + Math.random() * (max - min));
  const lastReport = child.latest!;
  await child.kill();

  return {
    startedFrom: applying.startedFrom,
    lastReport,
    lastApplied: setup.processes.lastApplied(),
  };
}

async function runToTheEnd(
  setup: CrashSetup,
  plan: CrashPlan,
  lastPosition: bigint,
): Promise<RunnerLife> {
  const child = setup.processes.start(setup.readStore);
  const caughtUp = await child.until(
    (report) => report.state === 'live' && report.checkpoint === lastPosition,
    plan.catchUpTimeoutMs,
  );
  const lastReport = await child.stop();

  return {
    startedFrom: caughtUp.startedFrom,
    lastReport,
    lastApplied: setup.processes.lastApplied(),
  };
}
