import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The service as the README runs it: `npm start` and `npx hakkiri` as
 * child processes on one data folder, reached over HTTP.
 */
export class BlackBoxService {
  private server: ChildProcess | undefined;
  private url = '';
  private lines: string[] = [];

  constructor(private readonly env: () => Record<string, string>) {}

  /**
   * `npm start`, or that behind a wrapper such as `faketime '+89 days'`,
   * which the server's whole process tree then runs under.
   */
  async start(wrapper: string[] = []): Promise<void> {
    const [command = 'npm', ...args] = [...wrapper, 'npm', 'start'];
    const server = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...this.env() },
      detached: true,
    });
    this.server = server;
    this.lines = [];
    this.url = await listeningUrl(server, this.lines);
  }

  /** Waits until the server logs a line with this message. */
  async logged(message: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((line) => line.includes(`"msg":"${message}"`))) {
      if (Date.now() > deadline) throw new Error(`never logged: ${message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * npm runs node as its child: signal the whole group, then wait until
   * every process of it is gone, so the stores are closed.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;

    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      process.kill(-server.pid!, 'SIGTERM');
      await exited;
    }
    while (groupAlive(server.pid!)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL to the whole group: no shutdown, no flush, as a crash. */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) {
      return;
    }

    const exited = new Promise((resolve) => server.once('exit', resolve));
    process.kill(-server.pid!, 'SIGKILL');
    await exited;
    while (groupAlive(server.pid!)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Where the running server listens. */
  get baseUrl(): string {
    return this.url;
  }

  async call(
    method: string,
    route: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<Answer> {
    const response = await fetch(this.url + route, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();

    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }

  /** The CLI writes to the log in another process; the server catches up. */
  async login(
    tenant: string,
    username: string,
    password: string,
  ): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await this.call('POST', '/v1/sessions', {
        body: { tenant, username, password },
      });
      if (answer.status === 201) return answer.body.token as string;
      if (Date.now() > deadline) throw new Error(`login: ${answer.status}`);

      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  cli(
    args: string[],
    extra: Record<string, string> = {},
    wrapper: string[] = [],
  ) {
    const [command = 'npx', ...rest] = [...wrapper, 'npx', 'hakkiri', ...args];

    return run(command, rest, {
      cwd: root,
      env: { ...process.env, ...this.env(), ...extra },
    });
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the server's JSON log until it says where it listens, keeping
 * every line for `logged`.
 */
function listeningUrl(server: ChildProcess, kept: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stdout! });
    lines.on('line', (line) => {
      kept.push(line);
      const url = /"url":"([^"]+)"/.exec(line)?.[1];
      if (url) resolve(url);
    });
    server.once('exit', (code) => reject(new Error(`server exited: ${code}`)));
  });
}
