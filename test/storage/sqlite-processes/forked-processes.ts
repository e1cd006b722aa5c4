import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import type { WorkerCommand, WorkerReply } from './worker-messages.js';

export const storeWorkerScript = fileURLToPath(
  new URL('./store-worker.ts', import.meta.url),
);
export const loopingAppenderScript = fileURLToPath(
  new URL('./looping-appender.ts', import.meta.url),
);

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }

  return once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
}

export async function killHard(child: ChildProcess): Promise<Exit> {
  const exit = exitOf(child);
  child.kill('SIGKILL');

  return exit;
}

/** Every child a test starts, so that an after hook can kill them all. */
export class ForkedProcesses {
  private readonly running = new Set<ChildProcess>();

  start(script: string, args: readonly string[]): ChildProcess {
    // Advanced serialization carries bigints, which revisions are.
    const child = fork(script, args, {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));

    return child;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.running].map(killHard));
  }
}

/**
 * The next message from a child. A child that exits or stays silent fails
 * the wait rather than hanging the test until mocha's timeout.
 */
export function nextReply(
  child: ChildProcess,
  timeoutMs = 10_000,
): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => settle(() => reject(new Error('The child did not answer'))),
      timeoutMs,
    );
    const onMessage = (message: WorkerReply) => settle(() => resolve(message));
    const onExit = () =>
      settle(() => reject(new Error('The child exited before answering')));

    function settle(outcome: () => void): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      outcome();
    }

    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** A store-worker child: it answers each command with one reply. */
export class StoreWorker {
  private constructor(private readonly child: ChildProcess) {}

  static async start(
    processes: ForkedProcesses,
    file: string,
  ): Promise<StoreWorker> {
    const child = processes.start(storeWorkerScript, [file]);
    const ready = await nextReply(child);
    if (ready.kind !== 'ready') throw new Error(`Unexpected ${ready.kind}`);

    return new StoreWorker(child);
  }

  async send(command: WorkerCommand): Promise<WorkerReply> {
    const reply = nextReply(this.child);
    this.child.send(command);

    const answer = await reply;
    if (answer.kind === 'failed') throw new Error(answer.message);

    return answer;
  }
}
