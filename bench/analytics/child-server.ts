import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(import.meta.dirname, '../..');

/** A server in a process of its own, found at the URL it logs. */
export interface ChildServer {
  url: string;
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
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
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
