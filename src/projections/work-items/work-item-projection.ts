import { EventCodec } from '../../domain/event-codec.js';
import { workItemEvents } from '../../domain/work-item/work-item-events.js';
import type {
  StatusChange,
  WorkItemEvent,
} from '../../domain/work-item/work-item-events.js';
import type { RecordedEvent } from '../../ports/event-store.js';
import type { FieldValue, ReadStore } from '../../ports/read-store.js';
import { defineProjection } from '../projection.js';
import type { Projection } from '../projection.js';
import {
  workItemEncryptedFields,
  workItemId,
  workItemsCollection,
} from './work-item-documents.js';
import type {
  StatusTransition,
  WorkItemDocument,
} from './work-item-documents.js';

export const workItemProjectionName = 'work-items';

const byTenant = (...fields: string[]) =>
  [['tenantId', 1], ...fields.map((f) => [f, 1])] as [string, 1][];

/** Each work item's current state and its status history. */
export const workItemProjection: Projection = defineProjection<WorkItemEvent>({
  name: workItemProjectionName,
  codec: new EventCodec<WorkItemEvent>(workItemEvents),
  collections: [workItemsCollection],
  encrypted: workItemEncryptedFields,
  indexes: {
    [workItemsCollection]: [
      {
        name: 'by_tenant_updated',
        fields: byTenant('deleted', 'updatedAt'),
      },
      {
        name: 'by_connection_updated',
        fields: byTenant('connectionId', 'deleted', 'updatedAt'),
      },
      {
        name: 'by_project_updated',
        fields: byTenant('projectIndex', 'deleted', 'updatedAt'),
      },
    ],
  },
  handlers: {
    WorkItemObserved: async (event, recorded, store) => {
      const { issueTypeId: _, issueTypeIndex: __, ...fields } = event.data;
      await items(store).update(
        workItemId(fields.connectionId, fields.issueId),
        {
          $set: {
            ...fields,
            tenantId: recorded.metadata.tenantId,
            deleted: false,
          },
        },
        { upsert: true, position: recorded.position },
      );
    },
    WorkItemStatusChanged: (event, recorded, store) =>
      addTransition(event.data, recorded, store),
    WorkItemDeleted: async (event, recorded, store) => {
      await items(store).update(
        workItemId(event.data.connectionId, event.data.issueId),
        { $set: tombstone(recorded.metadata.tenantId) },
        { upsert: true, position: recorded.position },
      );
    },
  },
});

/** Transitions may arrive late; the history stays in time order. */
async function addTransition(
  change: StatusChange,
  recorded: RecordedEvent,
  store: ReadStore,
): Promise<void> {
  const id = workItemId(change.connectionId, change.issueId);
  const item = await items(store).get(id);
  if (!item || item.deleted) return;

  const transition: StatusTransition = {
    changelogId: change.changelogId,
    changedAt: change.changedAt,
    fromStatusId: change.fromStatusId,
    fromStatusName: change.fromStatusName,
    toStatusId: change.toStatusId,
    toStatusName: change.toStatusName,
  };
  const history = [
    ...(item.history ?? []).filter((t) => t.changelogId !== change.changelogId),
    transition,
  ].sort(
    (a, b) =>
      Date.parse(a.changedAt) - Date.parse(b.changedAt) ||
      a.changelogId.localeCompare(b.changelogId),
  );

  await items(store).update(
    id,
    { $set: { tenantId: recorded.metadata.tenantId, history } },
    { position: recorded.position },
  );
}

/** What is left of a deleted item: who owned it, and nothing else. */
function tombstone(tenantId: string): Record<string, FieldValue> {
  return {
    tenantId,
    deleted: true,
    key: null,
    summary: null,
    projectKey: null,
    projectName: null,
    projectIndex: null,
    issueTypeName: null,
    statusName: null,
    priority: null,
    assignee: null,
    parentKey: null,
    history: [],
  };
}

function items(store: ReadStore) {
  return store.collection<WorkItemDocument>(workItemsCollection);
}
