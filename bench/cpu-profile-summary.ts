import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { repositoryRoot } from './api/child-server.js';
import { formatTable } from './text-table.js';

/**
 * Where a process spent its time, from the `.cpuprofile` that
 * `node --cpu-prof` writes: self time per function, per file and per
 * package (or folder of src/). Usage:
 *
 *   node --import tsx bench/cpu-profile-summary.ts <file> [--top N]
 */
interface ProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  return times;
}

/** V8's own entries, such as `(garbage collector)`, stand for themselves. */
function fileOf({ callFrame }: ProfileNode): string {
  const { url, functionName } = callFrame;
  if (url === '') {
    return functionName.startsWith('(') ? functionName : '(native)';
  }

  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(repositoryRoot)
    ? path.relative(repositoryRoot, file)
    : file;
}

/** A package under node_modules, a folder of src/, or node itself. */
function packageOf(file: string): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  if (module) return module;
  if (file.startsWith('node:')) return 'node';

  const parts = file.split('/');
  return parts[0] === 'src' ? parts.slice(0, 2).join('/') : file;
}

function tally(
  profile: CpuProfile,
  key: (node: ProfileNode) => string,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (const [id, micros] of selfTimes(profile)) {
    const name = key(byId.get(id)!);
    totals.set(name, (totals.get(name) ?? 0) + micros);
  }

  return totals;
}

function table(
  title: string,
  totals: Map<string, number>,
  all: number,
  top: number,
): string[] {
  const rows = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => [
      `${((micros / all) * 100).toFixed(1)}%`,
      `${(micros / 1000).toFixed(0)} ms`,
      name,
    ]);

  return [
    ...formatTable(
      [['self', 'time', title], ...rows],
      ['right', 'right', 'left'],
    ),
    '',
  ];
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '30' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: cpu-profile-summary <file> [--top N]');

  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const top = Number(values.top);
  const all = [...selfTimes(profile).values()].reduce((a, b) => a + b, 0);
  const where = fileOf;
  const lines = [
    `${file}: ${(all / 1000).toFixed(0)} ms sampled`,
    '',
    ...table(
      'function (file:line)',
      tally(profile, (node) => {
        const { functionName, lineNumber } = node.callFrame;
        return `${functionName || '(anonymous)'} ${where(node)}:${lineNumber + 1}`;
      }),
      all,
      top,
    ),
    ...table('file', tally(profile, where), all, top),
    ...table(
      'package or folder',
      tally(profile, (node) => packageOf(where(node))),
      all,
      top,
    ),
  ];

  console.log(lines.join('\n'));
}

main();
