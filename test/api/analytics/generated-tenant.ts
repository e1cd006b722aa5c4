import type { StatusCategory } from '../../../src/domain/work-item/work-item-events.js';

/** A status, and whether anything the tenant records tells its category. */
export interface GeneratedStatus {
  id: string;
  name: string;
  category: Exclude<StatusCategory, 'undefined'>;
  /** False for a status no event, workflow or observation categorises. */
  knowable: boolean;
}

export interface GeneratedTransition {
  changelogId: string;
  at: number;
  from: GeneratedStatus;
  to: GeneratedStatus;
}

export interface GeneratedItem {
  connectionId: string;
  issueId: string;
  key: string;
  project: string;
  issueType: string;
  createdAt: number;
  initial: GeneratedStatus;
  /** In the order they happened. */
  transitions: GeneratedTransition[];
  deleted: boolean;
}

const status = (
  id: string,
  name: string,
  category: GeneratedStatus['category'],
  knowable = true,
): GeneratedStatus => ({ id, name, category, knowable });

/** Synced in full, with a workflow catalog: categories on every event. */
export const syncedConnection = {
  id: 'conn-sync',
  statuses: [
    status('1', 'To Do', 'new'),
    status('2', 'In Progress', 'indeterminate'),
    status('3', 'In Review', 'new'),
    status('4', 'Done', 'done'),
    status('5', "Won't Do", 'done'),
    status('6', 'Blocked', 'indeterminate'),
  ],
};

/**
 * Seen through webhooks only: no workflow catalog, transitions without
 * the category they leave and often without the one they reach, and a
 * status, Triage, that nothing ever categorises.
 */
export const webhookConnection = {
  id: 'conn-hooks',
  statuses: [
    status('11', 'Backlog', 'new'),
    status('12', 'Doing', 'indeterminate'),
    status('13', 'In Review', 'indeterminate'),
    status('14', 'Closed', 'done'),
    status('15', 'Triage', 'indeterminate', false),
  ],
};

export const projects = ['ALPHA', 'BETA'];
export const issueTypes = ['Story', 'Bug'];

/** A small seeded generator (mulberry32), so every run sees one tenant. */
export function randomness(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(values: readonly T[]): T =>
    values[Math.floor(next() * values.length)]!;

  return { next, pick };
}

const hour = 3_600_000;
const day = 24 * hour;
/** 2024-02-20, three weeks before New York moves its clocks. */
const firstCreation = Date.UTC(2024, 1, 20);

/**
 * Items that move at random among their connection's statuses: some go
 * straight to done, some are reopened, some visit a status again and
 * again, some are still open. Many instants fall near midnight in New
 * York, on both sides of the change to daylight saving time.
 */
export function generateItems(count: number, seed: number): GeneratedItem[] {
  const random = randomness(seed);
  const items: GeneratedItem[] = [];
  let changelog = 1000;

  const instant = (after: number) => {
    const gap = random.pick([5 * 60_000, 3 * hour, day, 3 * day]);
    const at = after + Math.ceil(random.next() * gap);
    if (random.next() > 0.25) return at;
    // Within half an hour of midnight in New York: 05:00 or 04:00 UTC.
    const midnight = Math.floor(at / day) * day + random.pick([4, 5]) * hour;
    return Math.max(
      after + 1,
      midnight + Math.round((random.next() - 0.5) * hour),
    );
  };

  for (let n = 0; n < count; n++) {
    const connection = n % 2 === 0 ? syncedConnection : webhookConnection;
    const statuses = connection.statuses;
    const project = random.pick(projects);
    const createdAt = firstCreation + Math.floor(random.next() * 50 * day);
    const initial =
      connection === webhookConnection
        ? statuses[0]!
        : random.pick(statuses.slice(0, 2));

    const transitions: GeneratedTransition[] = [];
    let current = initial;
    let at = createdAt;
    const moves = Math.floor(random.next() * 8);
    for (let m = 0; m < moves; m++) {
      const to = random.pick(statuses.filter((s) => s !== current));
      at = instant(at);
      transitions.push({
        changelogId: String(changelog++),
        at,
        from: current,
        to,
      });
      current = to;
    }
    // The status an item ends in is observed, and would teach its category.
    if (!current.knowable) {
      const to = statuses[0]!;
      at = instant(at);
      transitions.push({
        changelogId: String(changelog++),
        at,
        from: current,
        to,
      });
    }

    items.push({
      connectionId: connection.id,
      issueId: String(20_000 + n),
      key: `${project}-${n + 1}`,
      project,
      issueType: random.pick(issueTypes),
      createdAt,
      initial,
      transitions,
      deleted: random.next() < 0.08,
    });
  }

  return endInEveryKnowableStatus(items, () => String(changelog++));
}

/**
 * Every webhook status but Triage ends some item, so observations teach
 * its category: the first webhook items are sent to each in turn.
 */
function endInEveryKnowableStatus(
  items: GeneratedItem[],
  nextChangelog: () => string,
): GeneratedItem[] {
  const knowable = webhookConnection.statuses.filter((s) => s.knowable);
  const hooked = items.filter(
    (item) => item.connectionId === webhookConnection.id && !item.deleted,
  );

  knowable.forEach((to, i) => {
    const item = hooked[i]!;
    const last = item.transitions[item.transitions.length - 1];
    const from = last?.to ?? item.initial;
    if (from === to) return;
    item.transitions.push({
      changelogId: nextChangelog(),
      at: (last?.at ?? item.createdAt) + 3_600_000,
      from,
      to,
    });
  });

  return items;
}

const offsets = ['+0800', '-0700', '+0530', '+0000', '-0230'];

/**
 * An instant as Jira writes it: local time with the offset of the zone it
 * was written in, `2019-02-15T19:01:52.971-0800`.
 */
export function jiraTimestamp(
  ms: number,
  random: { pick: <T>(v: readonly T[]) => T },
) {
  const offset = random.pick(offsets);
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes =
    sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3)));
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);

  return `${local}${offset}`;
}
