import { z } from 'zod';

import { projectIndex } from '../../commands/jira/issue-facts.js';
import { statusCategories } from '../../domain/work-item/work-item-events.js';
import type { WorkItemDocument } from '../../projections/work-items/work-item-documents.js';
import { WorkItemList } from '../../projections/work-items/work-item-list.js';
import type { ConnectionServices } from '../connections/connection-services.js';
import { defineRoute } from '../route-definition.js';
import type { RouteDefinition } from '../route-definition.js';

const listQuerySchema = z.strictObject({
  connection: z.uuid().optional(),
  project: z.string().min(1).max(100).optional().meta({
    description: 'A project key, in any case',
  }),
  statusCategory: z.enum(statusCategories).optional(),
  updatedFrom: z.iso.datetime().optional(),
  updatedTo: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(WorkItemList.maxPage).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

const transitionSchema = z.object({
  changelogId: z.string(),
  changedAt: z.iso.datetime(),
  from: z.object({ id: z.string(), name: z.string() }).nullable(),
  to: z.object({ id: z.string(), name: z.string() }),
});

const workItemSchema = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    key: z.string(),
    summary: z.string(),
    project: z.object({ key: z.string(), name: z.string() }),
    issueType: z.string(),
    status: z.object({
      id: z.string(),
      name: z.string(),
      category: z.enum(statusCategories),
    }),
    priority: z.string().nullable(),
    assignee: z.string().nullable().meta({ description: 'Display name' }),
    parentKey: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    history: z.array(transitionSchema),
  })
  .meta({ id: 'WorkItem' });

const workItemPageSchema = z
  .object({
    items: z.array(workItemSchema),
    nextCursor: z
      .string()
      .optional()
      .meta({ description: 'Pass as ?cursor= for the next page' }),
  })
  .meta({ id: 'WorkItemPage' });

/** The drill-down list of work items, for any role. */
export function workItemRoutes(
  services: ConnectionServices,
): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/work-items',
      operationId: 'listWorkItems',
      summary: 'A page of work items, most recently updated first',
      description:
        `At most ${WorkItemList.maxPage} items a page; follow ` +
        '`nextCursor` for more. There is no bulk export.',
      tags: ['work items'],
      access: 'authenticated',
      readsTenantModels: true,
      request: { query: listQuerySchema },
      responses: {
        200: { description: 'A page', schema: workItemPageSchema },
      },
      errors: [],
      handle: async ({ query, principal }) => {
        const { tenantId } = principal;
        const page = await services.workItems.page(
          tenantId,
          {
            connectionId: query.connection,
            projectIndex:
              query.project === undefined
                ? undefined
                : await projectIndex(
                    { tenantId, blindIndex: services.blindIndex },
                    query.project,
                  ),
            statusCategory: query.statusCategory,
            updatedFrom: query.updatedFrom,
            updatedTo: query.updatedTo,
          },
          query,
        );

        return {
          status: 200,
          body: {
            items: page.items.map(workItemView),
            ...(page.next === undefined ? {} : { nextCursor: page.next }),
          },
        };
      },
    }),
  ];
}

function workItemView(doc: WorkItemDocument): z.infer<typeof workItemSchema> {
  return {
    id: doc._id,
    connectionId: doc.connectionId,
    key: doc.key ?? '',
    summary: doc.summary ?? '',
    project: { key: doc.projectKey ?? '', name: doc.projectName ?? '' },
    issueType: doc.issueTypeName ?? '',
    status: {
      id: doc.statusId ?? '',
      name: doc.statusName ?? '',
      category: doc.statusCategory ?? 'undefined',
    },
    priority: doc.priority,
    assignee: doc.assignee?.displayName ?? null,
    parentKey: doc.parentKey,
    createdAt: doc.createdAt ?? '',
    updatedAt: doc.updatedAt ?? '',
    resolvedAt: doc.resolvedAt,
    history: (doc.history ?? []).map((t) => ({
      changelogId: t.changelogId,
      changedAt: t.changedAt,
      from:
        t.fromStatusId === null
          ? null
          : { id: t.fromStatusId, name: t.fromStatusName ?? '' },
      to: { id: t.toStatusId, name: t.toStatusName },
    })),
  };
}
