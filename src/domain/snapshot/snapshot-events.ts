import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

const instant = z.iso.datetime();

/**
 * The life of one snapshot: asked for, taken (or failed), restored from
 * any number of times, then deleted early by an admin or purged once it
 * expires. None of these events carries the copy itself, which is kept
 * apart, sealed, and erased for good when the snapshot goes.
 */
export const snapshotEvents = [
  defineEvent(
    'SnapshotRequested',
    1,
    z.object({
      snapshotId: z.string().min(1),
      tenantId: z.string().min(1),
      trigger: z.enum(['admin', 'schedule']),
      requestedAt: instant,
    }),
  ),
  defineEvent(
    'SnapshotTaken',
    1,
    z.object({
      snapshotId: z.string().min(1),
      /** The log position the copy holds every effect up to. */
      position: z.string().regex(/^\d+$/),
      takenAt: instant,
      expiresAt: instant,
      sizeBytes: z.number().int().nonnegative(),
      documents: z.number().int().nonnegative(),
    }),
  ),
  defineEvent(
    'SnapshotFailed',
    1,
    z.object({
      snapshotId: z.string().min(1),
      reason: z.string(),
      failedAt: instant,
    }),
  ),
  defineEvent(
    'SnapshotRestored',
    1,
    z.object({
      snapshotId: z.string().min(1),
      /** Where the read models stood once caught up after the restore. */
      caughtUpTo: z.string().regex(/^\d+$/),
      restoredAt: instant,
    }),
  ),
  defineEvent(
    'SnapshotDeleted',
    1,
    z.object({ snapshotId: z.string().min(1), deletedAt: instant }),
  ),
  defineEvent(
    'SnapshotPurged',
    1,
    z.object({
      snapshotId: z.string().min(1),
      expiresAt: instant,
      purgedAt: instant,
    }),
  ),
] as const;

export type SnapshotEvent = EventOf<typeof snapshotEvents>;

export const snapshotStreamName = (snapshotId: string) =>
  `snapshot-${snapshotId}`;
