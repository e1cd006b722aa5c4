import { createHash } from 'node:crypto';

import { unreachable } from '../../domain/decider.js';
import type { WorkItemEvent } from '../../domain/work-item/work-item-events.js';

/**
 * The id of a fact about a work item, derived from what the fact is: its
 * stream (connection and issue), its type, and the changelog id or the
 * `updated` time. Sync and webhooks reporting the same change name it
 * alike, even when they tell its time a little differently. The layout
 * is a version 8 UUID (RFC 9562) over a SHA-256 of that identity.
 */
export function workItemFactId(
  event: WorkItemEvent,
  streamName: string,
): string {
  const hex = createHash('sha256')
    .update(`${streamName}\n${event.type}\n${factIdentity(event)}`)
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

function factIdentity(event: WorkItemEvent): string {
  switch (event.type) {
    case 'WorkItemObserved':
      return event.data.updatedAt;
    case 'WorkItemStatusChanged':
      return event.data.changelogId;
    case 'WorkItemDeleted':
      return 'deleted';
    default:
      return unreachable(event);
  }
}
