import type { StatusCategory } from '../../domain/work-item/work-item-events.js';
import type { ReadDocument } from '../../ports/read-store.js';

export const workItemsCollection = 'work_items';

/** One transition in an item's history, in the order they happened. */
export type StatusTransition = {
  changelogId: string;
  changedAt: string;
  fromStatusId: string | null;
  fromStatusName: string | null;
  toStatusId: string;
  toStatusName: string;
};

/**
 * One work item as the drill-down list shows it, keyed by connection and
 * issue. A deleted item is kept as a bare tombstone, so that replayed
 * facts cannot bring it back.
 */
export interface WorkItemDocument extends ReadDocument {
  tenantId: string;
  connectionId: string;
  issueId: string;
  deleted: boolean;
  key: string | null;
  summary: string | null;
  projectKey: string | null;
  projectName: string | null;
  projectIndex: string | null;
  issueTypeName: string | null;
  statusId: string | null;
  statusName: string | null;
  statusCategory: StatusCategory | null;
  priority: string | null;
  assignee: { accountId: string; displayName: string } | null;
  parentKey: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  resolvedAt: string | null;
  /** Absent until the first transition arrives. */
  history?: StatusTransition[];
}

export const workItemId = (connectionId: string, issueId: string) =>
  `${connectionId}:${issueId}`;

export const workItemEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = {
  [workItemsCollection]: [
    'key',
    'summary',
    'projectKey',
    'projectName',
    'issueTypeName',
    'statusName',
    'priority',
    'assignee',
    'parentKey',
    'history',
  ] satisfies (keyof WorkItemDocument)[],
};
