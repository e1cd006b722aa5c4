import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the module `name`, beside the module at `besideUrl`, on a thread
 * of its own. Under tsx (how the service and its tests run) a thread does
 * not inherit the TypeScript loader on Node 20, so the thread registers
 * it first; compiled code starts the module as it is.
 */
export function startThread(
  besideUrl: string,
  name: string,
  workerData: unknown,
): Worker {
  const here = fileURLToPath(besideUrl);
  const extension = path.extname(here);
  const entry = path.join(path.dirname(here), `${name}${extension}`);
  if (extension !== '.ts') return new Worker(entry, { workerData });

  const loader = createRequire(here).resolve('tsx/cjs/api');
  const bootstrap =
    `require(${JSON.stringify(loader)}).register();\n` +
    `require(${JSON.stringify(entry)});`;

  return new Worker(bootstrap, { eval: true, workerData });
}
