import { createHash } from 'node:crypto';

import { unreachable } from '../../domain/decider.js';
import type { WorkItemEvent } from '../../domain/work-item/work-item-events.js';

/**
 * The id of a fact about a work item, derived from what the fact is, so
 * that sync and webhooks reporting the same change name it alike. The
 * layout is a version 7 UUID: the time the fact happened, then bits of a
 * SHA-256 of its identity instead of random ones. Ids of facts close in
 * time stay close in a store's index.
 */
export function workItemFactId(
  event: WorkItemEvent,
  streamName: string,
): string {
  const { at, identity } = factIdentity(event);
  const millis = Math.max(0, Date.parse(at));
  const digest = createHash('sha256')
    .update(`${streamName}\n${event.type}\n${identity}`)
    .digest('hex');

  const time = millis.toString(16).padStart(12, '0').slice(-12);
  const variant = ((parseInt(digest[3]!, 16) & 0x3) | 0x8).toString(16);

  return [
    time.slice(0, 8),
    time.slice(8),
    `7${digest.slice(0, 3)}`,
    `${variant}${digest.slice(4, 7)}`,
    digest.slice(7, 19),
  ].join('-');
}

function factIdentity(event: WorkItemEvent): { at: string; identity: string } {
  switch (event.type) {
    case 'WorkItemObserved':
      return { at: event.data.updatedAt, identity: event.data.updatedAt };
    case 'WorkItemStatusChanged':
      return { at: event.data.changedAt, identity: event.data.changelogId };
    case 'WorkItemDeleted':
      return { at: event.data.deletedAt, identity: 'deleted' };
    default:
      return unreachable(event);
  }
}
