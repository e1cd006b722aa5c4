import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(import.meta.dirname, '../..');

/** A server in a process of its own, found at the URL it logs. */
export interface ChildServer {
  url: string;
  pid: number | undefined;
  /** CPU time the process has used so far, in seconds (Linux only). */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point with node and tsx, as `npm start`
 * does, and waits for the `"url":"..."` it logs when it listens.
 */
export async function startChildServer(
  entry: string,
  env: Record<string, string>,
): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await listeningUrl(child);

  return {
    url,
    pid: child.pid,
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Clock ticks per second of /proc's counters: 100 on Linux. */
const ticksPerSecond = 100;

/** User and system time of a process, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /"url":"([^"]+)"/.exec(line)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`server exited: ${code}`)));
  });
}

export const serviceEntry = path.join(root, 'src/main.ts');
export const helloWorldEntry = path.join(
  root,
  'bench/analytics/hello-world.ts',
);
