import fs from 'node:fs';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import type {
  ReadStoreSpec,
  RunnerChildOptions,
  RunnerReport,
  StopCommand,
} from './runner-messages.js';

const runnerChildScript = fileURLToPath(
  new URL('./runner-child.ts', import.meta.url),
);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every runner child a test starts, so that a hook can kill them all. */
export class RunnerProcesses {
  private readonly running = new Set<RunnerProcess>();

  constructor(
    private readonly options: Omit<RunnerChildOptions, 'readStore'>,
  ) {}

  start(readStore: ReadStoreSpec): RunnerProcess {
    const child = new RunnerProcess({ ...this.options, readStore });
    this.running.add(child);
    void child.exited.then(() => this.running.delete(child));

    return child;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => child.kill()));
  }

  /** The last event the last child handed to its read store. */
  lastApplied(): bigint | undefined {
    const written = fs.readFileSync(this.options.progressFile, 'utf8').trim();

    return written === '' ? undefined : BigInt(written);
  }
}

/** One life of a projection runner in a child process. */
export class RunnerProcess {
  readonly exited: Promise<Exit>;
  private latestReport: RunnerReport | undefined;
  private readonly child: ChildProcess;

  constructor(options: RunnerChildOptions) {
    // Advanced serialization carries bigints, which positions are.
    this.child = fork(runnerChildScript, [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    this.child.on('message', (report: RunnerReport) => {
      this.latestReport = report;
    });
  }

  /** The last report received, if any. */
  get latest(): RunnerReport | undefined {
    return this.latestReport;
  }

  /**
   * The first report that satisfies the condition. A child that fails,
   * exits or takes too long fails the wait instead of hanging the test.
   */
  until(
    condition: (report: RunnerReport) => boolean,
    timeoutMs: number,
  ): Promise<RunnerReport> {
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        reject(new Error('The runner child has exited'));
        return;
      }
      const timer = setTimeout(
        () => settle(() => reject(new Error(this.timeoutMessage(timeoutMs)))),
        timeoutMs,
      );
      const onReport = (report: RunnerReport) => {
        if (report.state === 'failed') {
          settle(() => reject(new Error(`Runner failed: ${report.failure}`)));
        } else if (condition(report)) {
          settle(() => resolve(report));
        }
      };
      const onExit = () =>
        settle(() => reject(new Error('The runner child exited early')));

      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        this.child.off('message', onReport);
        this.child.off('exit', onExit);
        outcome();
      };

      this.child.on('message', onReport);
      this.child.on('exit', onExit);
    });
  }

  /** SIGKILL: no chance to finish a batch or store a checkpoint. */
  async kill(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }

    return this.exited;
  }

  /** Lets the runner finish its batch and close its stores, then exit. */
  async stop(): Promise<RunnerReport> {
    const command: StopCommand = { kind: 'stop' };
    this.child.send(command);

    const exit = await this.exited;
    if (exit.code !== 0) {
      throw new Error(
        `The runner child exited with ${exit.code ?? exit.signal}`,
      );
    }

    return this.latestReport!;
  }

  private timeoutMessage(timeoutMs: number): string {
    const latest = this.latestReport;
    const where = latest
      ? `${latest.state} at checkpoint ${latest.checkpoint}`
      : 'no report yet';

    return `The runner child did not get there in ${timeoutMs} ms (${where})`;
  }
}
