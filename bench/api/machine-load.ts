import fs from 'node:fs';

/** How busy the machine's cores were while the bench measured. */
export interface MachineLoad {
  cores: number;
  /** Cores kept busy on average by the bench and its servers. */
  ours: number;
  /** Cores kept busy on average by everything else. */
  others: number;
}

interface Ticks {
  busy: number;
  total: number;
  cores: number;
}

/** The machine's CPU ticks so far, from /proc/stat (Linux only). */
function machineTicks(): Ticks {
  const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const [user, nice, system, idle, iowait, irq, softirq, steal] = lines[0]!
    .split(/\s+/)
    .slice(1, 9)
    .map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;

  return {
    busy,
    total: busy + idle! + iowait!,
    cores: lines.filter((line) => /^cpu\d/.test(line)).length,
  };
}

/** Linux counts CPU time in ticks of USER_HZ, which is 100 in practice. */
const ticksPerSecond = 100;

/** User and system ticks of one process and all its threads. */
function processTicks(pid: number | 'self'): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Starts counting the CPU time one process uses; the count it returns is
 * in milliseconds. Undefined where there is no /proc.
 */
export function startCpuCount(pid: number) {
  if (!fs.existsSync(`/proc/${pid}/stat`)) return undefined;

  const atStart = processTicks(pid);
  return () => ((processTicks(pid) - atStart) * 1000) / ticksPerSecond;
}

/**
 * Counts the CPU time the machine spent while the bench ran, and how
 * much of it went to the bench and the servers it started. The machine
 * is shared, so the rest says how much of it other work took away.
 * Returns undefined where there is no /proc.
 */
export function startLoadCount(pids: readonly number[]) {
  if (!fs.existsSync('/proc/stat')) return undefined;

  const ours = () =>
    processTicks('self') +
    pids.reduce((sum, pid) => sum + processTicks(pid), 0);
  const machineAtStart = machineTicks();
  const oursAtStart = ours();

  return (): MachineLoad => {
    const machine = machineTicks();
    const coreTicks = (machine.total - machineAtStart.total) / machine.cores;
    const busy = (machine.busy - machineAtStart.busy) / coreTicks;
    const own = (ours() - oursAtStart) / coreTicks;

    return { cores: machine.cores, ours: own, others: Math.max(0, busy - own) };
  };
}
