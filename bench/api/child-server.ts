import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The repository root, where `node --import tsx` finds its loader. */
const stopTimeoutMs = 10_000;

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

export interface ChildServerOptions {
  /** The script to run, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** Where the child's stdout and stderr go, so the bench never reads them. */
  logFile: string;
  /** Options for node before the script, such as `--cpu-prof`. */
  nodeArguments?: readonly string[];
  startTimeoutMs?: number;
}

/** A server in a process of its own, started and stopped by the bench. */
export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a server as `node --import tsx <script>`, then waits until its
 * log names the URL it listens on. Its output goes to a file: the server
 * logs every request, and a pipe would make the bench process pay for
 * reading those lines while it measures.
 */
export async function startChildServer({
  script,
  env,
  logFile,
  nodeArguments = [],
  startTimeoutMs = 30_000,
}: ChildServerOptions): Promise<ChildServer> {
  const output = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [...nodeArguments, '--import', 'tsx', script],
    { cwd: repositoryRoot, env, stdio: ['ignore', output, output] },
  );
  fs.closeSync(output);
  const exited = new Promise<void>((resolve) => child.once('exit', resolve));

  try {
    const url = await listeningUrl(child, logFile, startTimeoutMs);
    return { url, pid: child.pid!, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

async function listeningUrl(
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const log = fs.readFileSync(logFile, 'utf8');
    const url = /"url":"(https?:\/\/[^"]+)"/.exec(log)?.[1];
    if (url) return url;

    const gone = child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() > deadline) {
      const tail = log.split('\n').slice(-10).join('\n');
      throw new Error(`${logFile}: no listening URL; last lines:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<void>,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
  }

  // A graceful stop waits for open connections; the bench's are closed,
  // so a child still alive after this has hung and is killed.
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
