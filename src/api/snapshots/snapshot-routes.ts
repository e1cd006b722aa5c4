import type Koa from 'koa';
import { z } from 'zod';

import type { SnapshotAdministration } from '../../commands/snapshots/snapshot-administration.js';
import type { SnapshotDirectory } from '../../projections/snapshots/snapshot-directory.js';
import type { SnapshotDocument } from '../../projections/snapshots/snapshot-projection.js';
import { apiState } from '../api-state.js';
import { defineRoute } from '../route-definition.js';
import type { Principal, RouteDefinition } from '../route-definition.js';

export interface SnapshotRouteServices {
  administration: SnapshotAdministration;
  directory: SnapshotDirectory;
  /** Keeps background work in sight, so shutdown can wait for it. */
  track(work: Promise<void>): void;
  /** Resolves once the snapshot list shows a write. */
  applied(position: bigint | undefined): Promise<void>;
}

const snapshotIdSchema = z.strictObject({ id: z.uuid() });

const snapshotSchema = z
  .object({
    id: z.string(),
    state: z.enum(['taking', 'ready', 'failed']),
    requestedAt: z.iso.datetime(),
    takenAt: z.iso.datetime().nullable(),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .meta({
        description:
          'When the snapshot is deleted for good: at most 90 days after ' +
          'it was taken',
      }),
    position: z.string().nullable().meta({
      description: 'The log position the copy holds everything up to',
    }),
    sizeBytes: z.number().int().nullable(),
  })
  .meta({
    id: 'Snapshot',
    description:
      "A snapshot's record. Its contents never leave the service: no route " +
      'returns them, now or later; they can only be restored into the ' +
      "tenant's own read models.",
  });

const snapshotListSchema = z
  .object({ items: z.array(snapshotSchema) })
  .meta({ id: 'SnapshotList' });

const acceptedSchema = z
  .object({ id: z.string() })
  .meta({ id: 'SnapshotAccepted' });

/** An admin's snapshots of their tenant's read models. */
export function snapshotRoutes(
  services: SnapshotRouteServices,
): RouteDefinition[] {
  const { administration, directory } = services;

  return [
    defineRoute({
      method: 'post',
      path: '/v1/snapshots',
      operationId: 'takeSnapshot',
      summary: "Take a snapshot of the tenant's read models",
      description:
        'Answers at once; the snapshot is ready when the list shows it ' +
        'so. It is sealed with the tenant’s key and kept for at most 90 ' +
        'days.',
      tags: ['snapshots'],
      access: 'admin',
      responses: { 202: { description: 'Taking it', schema: acceptedSchema } },
      errors: [],
      handle: async ({ principal, ctx }) => {
        const started = await administration.take(
          requester(principal, ctx),
          'admin',
        );
        services.track(started.done);

        return { status: 202, body: { id: started.snapshotId } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/snapshots',
      operationId: 'listSnapshots',
      summary: "The tenant's snapshots still kept, oldest first",
      tags: ['snapshots'],
      access: 'admin',
      responses: {
        200: { description: 'The snapshots', schema: snapshotListSchema },
      },
      errors: [],
      handle: async ({ principal }) => {
        const kept = await directory.kept(principal.tenantId);

        return { status: 200, body: { items: kept.map(snapshotView) } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/v1/snapshots/:id/restore',
      operationId: 'restoreSnapshot',
      summary: "Replace the tenant's read models with a snapshot",
      description:
        'Answers at once. The read models are replaced, then caught up ' +
        'with the log from the snapshot’s position; meanwhile queries ' +
        'of this tenant answer 503 with Retry-After.',
      tags: ['snapshots'],
      access: 'admin',
      request: { params: snapshotIdSchema },
      responses: { 202: { description: 'Restoring', schema: acceptedSchema } },
      errors: [404, 409],
      handle: async ({ params, principal, ctx }) => {
        const started = await administration.restore(
          requester(principal, ctx),
          params.id,
        );
        services.track(started.done);

        return { status: 202, body: { id: started.snapshotId } };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/v1/snapshots/:id',
      operationId: 'deleteSnapshot',
      summary: 'Delete a snapshot for good, before it expires',
      tags: ['snapshots'],
      access: 'admin',
      request: { params: snapshotIdSchema },
      responses: { 204: { description: 'Deleted' } },
      errors: [404, 503],
      handle: async ({ params, principal, ctx }) => {
        const position = await administration.delete(
          requester(principal, ctx),
          params.id,
        );
        await services.applied(position);

        return { status: 204 };
      },
    }),
  ];
}

function snapshotView(doc: SnapshotDocument): z.infer<typeof snapshotSchema> {
  return {
    id: doc._id,
    state: doc.state as 'taking' | 'ready' | 'failed',
    requestedAt: doc.requestedAt,
    takenAt: doc.takenAt,
    expiresAt: doc.expiresAt,
    position: doc.position,
    sizeBytes: doc.sizeBytes,
  };
}

function requester(principal: Principal, ctx: Koa.Context) {
  return { tenantId: principal.tenantId, requestId: apiState(ctx).requestId };
}
