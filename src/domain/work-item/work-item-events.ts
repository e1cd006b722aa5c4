import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

/**
 * Jira's status categories, by their keys. `undefined` is Jira's own key
 * for a status that belongs to no category.
 */
export const statusCategories = [
  'new',
  'indeterminate',
  'done',
  'undefined',
] as const;

export type StatusCategory = (typeof statusCategories)[number];

/** An instant, stored as ISO 8601 in UTC with milliseconds. */
const instant = z.iso.datetime();

const assigneeSchema = z.object({
  accountId: z.string().min(1),
  displayName: z.string(),
});

/**
 * What a work item looked like at its `updatedAt`, as a connector saw it.
 * Identity and content are sealed; ids, times and categories stay clear,
 * and the project and issue type carry blind indexes for filters.
 */
const observedSchema = z.object({
  connectionId: z.string().min(1),
  issueId: z.string().min(1),
  key: z.string().min(1),
  summary: z.string(),
  projectId: z.string().min(1),
  projectKey: z.string().min(1),
  projectName: z.string(),
  /** Finds items by project key without the key. */
  projectIndex: z.string().min(1),
  issueTypeId: z.string().min(1),
  issueTypeName: z.string(),
  /** Finds items by issue type name without the name. */
  issueTypeIndex: z.string().min(1),
  statusId: z.string().min(1),
  statusName: z.string(),
  statusCategory: z.enum(statusCategories),
  priority: z.string().nullable(),
  assignee: assigneeSchema.nullable(),
  parentKey: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  resolvedAt: instant.nullable(),
});

/**
 * One status transition from the item's changelog. A category is null
 * when the connector could not tell it at the time; the workflow's
 * statuses, observed separately, fill it in.
 */
const statusChangedSchema = z.object({
  connectionId: z.string().min(1),
  issueId: z.string().min(1),
  changelogId: z.string().min(1),
  changedAt: instant,
  fromStatusId: z.string().nullable(),
  fromStatusName: z.string().nullable(),
  fromCategory: z.enum(statusCategories).nullable(),
  toStatusId: z.string().min(1),
  toStatusName: z.string(),
  toCategory: z.enum(statusCategories).nullable(),
});

export const workItemEvents = [
  defineEvent('WorkItemObserved', 1, observedSchema, {
    encrypted: [
      'key',
      'summary',
      'projectKey',
      'projectName',
      'issueTypeName',
      'statusName',
      'priority',
      'assignee',
      'parentKey',
    ],
  }),
  defineEvent('WorkItemStatusChanged', 1, statusChangedSchema, {
    encrypted: ['fromStatusName', 'toStatusName'],
  }),
  defineEvent(
    'WorkItemDeleted',
    1,
    z.object({
      connectionId: z.string().min(1),
      issueId: z.string().min(1),
      deletedAt: instant,
    }),
  ),
] as const;

export type WorkItemEvent = EventOf<typeof workItemEvents>;

/** The statuses of a connection's workflows, recorded when they change. */
export const workflowEvents = [
  defineEvent(
    'WorkflowStatusesObserved',
    1,
    z.object({
      connectionId: z.string().min(1),
      /** Status id to category: what stages are derived from. */
      categories: z.record(z.string(), z.enum(statusCategories)),
      /** Status id to name, sealed: the names are the customer's. */
      names: z.record(z.string(), z.string()),
    }),
    { encrypted: ['names'] },
  ),
] as const;

export type WorkflowEvent = EventOf<typeof workflowEvents>;

export type WorkItemObservation = z.infer<typeof observedSchema>;

export type StatusChange = z.infer<typeof statusChangedSchema>;

/** One work item's facts live in one stream, per connection and issue. */
export const workItemStreamName = (connectionId: string, issueId: string) =>
  `work-item-${connectionId}-${issueId}`;

/** The statuses of a connection's workflows, as last observed. */
export const workflowStreamName = (connectionId: string) =>
  `workflow-${connectionId}`;

/** The facts of work that sync and webhooks record: items and workflows. */
export const workFactEvents = [...workItemEvents, ...workflowEvents] as const;

export type WorkFact = WorkItemEvent | WorkflowEvent;
