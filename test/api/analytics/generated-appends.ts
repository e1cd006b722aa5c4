import { parseJiraTimestamp } from '../../../src/commands/jira/jira-issue.js';
import {
  issueTypeIndexInput,
  issueTypeIndexPurpose,
  projectIndexInput,
  projectIndexPurpose,
} from '../../../src/domain/work-item/work-item-indexes.js';
import type { BlindIndex } from '../../../src/ports/blind-index.js';
import type { FixtureEvent } from '../../support/analytics-fixture.js';
import {
  deletedEvent,
  itemStream,
  observedEvent,
  statusChangedEvent,
  workflowEvent,
  workflowStream,
} from '../../support/work-item-events.js';
import {
  jiraTimestamp,
  randomness,
  syncedConnection,
  webhookConnection,
} from './generated-tenant.js';
import type {
  GeneratedItem,
  GeneratedStatus,
  GeneratedTransition,
} from './generated-tenant.js';

export interface Append {
  stream: string;
  events: FixtureEvent[];
}

/**
 * The appends a connector would make for the generated items. The synced
 * connection writes its workflow, then each item's changelog with its
 * observation, sometimes in two syncs. The webhook connection writes an
 * observation at creation, then each transition on its own, some late
 * and out of order, then the observation of where the item ended. The
 * items' appends are interleaved, each item's in its own order.
 */
export async function generatedAppends(
  items: GeneratedItem[],
  tenantId: string,
  blindIndex: BlindIndex,
  seed: number,
): Promise<Append[]> {
  const random = randomness(seed);
  const instant = (ms: number) =>
    parseJiraTimestamp(jiraTimestamp(ms, random))!;
  const perItem: Append[][] = [];

  for (const item of items) {
    const stream = itemStream(item.connectionId, item.issueId);
    const observe = async (status: GeneratedStatus, updatedAt: number) =>
      observedEvent({
        connectionId: item.connectionId,
        issueId: item.issueId,
        key: item.key,
        projectIndex: await blindIndex.ofTenantValue(
          tenantId,
          projectIndexPurpose,
          projectIndexInput(item.project),
        ),
        issueTypeIndex: await blindIndex.ofTenantValue(
          tenantId,
          issueTypeIndexPurpose,
          issueTypeIndexInput(item.issueType),
        ),
        statusId: status.id,
        statusName: status.name,
        statusCategory: status.category,
        createdAt: instant(item.createdAt),
        updatedAt: instant(updatedAt),
      });
    const change = (t: GeneratedTransition, webhook: boolean) =>
      statusChangedEvent({
        connectionId: item.connectionId,
        issueId: item.issueId,
        changelogId: t.changelogId,
        changedAt: instant(t.at),
        from: [t.from.id, t.from.name, webhook ? null : t.from.category],
        to: [
          t.to.id,
          t.to.name,
          webhook && (!t.to.knowable || random.next() < 0.5)
            ? null
            : t.to.category,
        ],
      });

    const appends: Append[] = [];
    const last = item.transitions[item.transitions.length - 1];
    const final = last?.to ?? item.initial;
    if (item.connectionId === webhookConnection.id) {
      appends.push({
        stream,
        events: [await observe(item.initial, item.createdAt)],
      });
      const late = [...item.transitions].sort(() => random.next() - 0.5);
      for (const t of late) appends.push({ stream, events: [change(t, true)] });
      if (last) {
        appends.push({
          stream,
          events: [await observe(final, last.at + 60_000)],
        });
      }
    } else {
      const split =
        item.transitions.length > 2 && random.next() < 0.4
          ? Math.floor(item.transitions.length / 2)
          : item.transitions.length;
      const first = item.transitions.slice(0, split);
      const midway = first[first.length - 1];
      appends.push({
        stream,
        events: [
          ...first.map((t) => change(t, false)),
          await observe(
            midway?.to ?? item.initial,
            midway?.at ?? item.createdAt,
          ),
        ],
      });
      if (split < item.transitions.length) {
        appends.push({
          stream,
          events: [
            ...item.transitions.slice(split).map((t) => change(t, false)),
            await observe(final, last!.at),
          ],
        });
      }
    }
    if (item.deleted) {
      appends.push({
        stream,
        events: [
          deletedEvent(
            item.connectionId,
            item.issueId,
            instant(Date.UTC(2024, 5, 1)),
          ),
        ],
      });
    }
    perItem.push(appends);
  }

  const workflow: Append = {
    stream: workflowStream(syncedConnection.id),
    events: [
      workflowEvent(
        syncedConnection.id,
        syncedConnection.statuses.map((s) => [s.id, s.name, s.category]),
      ),
    ],
  };

  return [workflow, ...roundRobin(perItem)];
}

function roundRobin<T>(lists: T[][]): T[] {
  const merged: T[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++) {
    for (const list of lists) if (i < list.length) merged.push(list[i]!);
  }

  return merged;
}
