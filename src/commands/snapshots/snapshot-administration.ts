import { randomUUID } from 'node:crypto';

import { EventCodec } from '../../domain/event-codec.js';
import {
  restorePosition,
  snapshotDecider,
} from '../../domain/snapshot/snapshot.js';
import type {
  SnapshotCommand,
  SnapshotState,
} from '../../domain/snapshot/snapshot.js';
import {
  snapshotEvents,
  snapshotStreamName,
} from '../../domain/snapshot/snapshot-events.js';
import { DomainError } from '../../domain/domain-error.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import type { SnapshotCopies } from '../../ports/snapshot-copies.js';
import { CommandHandler } from '../command-handler.js';
import type { CommandContext } from '../command-handler.js';
import type { RestoreGate } from './restore-gate.js';

export interface SnapshotDependencies {
  store: EventStore;
  logger: Logger;
  copies: SnapshotCopies;
  restores: RestoreGate;
  /** At most 90: the promise made to customers. */
  retentionDays: number;
  now?: () => Date;
}

export interface Requester {
  tenantId: string;
  requestId: string;
}

/** Work that was started and goes on after the answer. */
export interface Started {
  snapshotId: string;
  done: Promise<void>;
}

/**
 * Takes, restores and deletes a tenant's snapshots. Taking and restoring
 * answer at once and go on in the background; what they did, or why they
 * failed, is recorded as events of the snapshot.
 */
export class SnapshotAdministration {
  private readonly handler;

  constructor(private readonly deps: SnapshotDependencies) {
    this.handler = new CommandHandler({
      decider: snapshotDecider,
      codec: new EventCodec(snapshotEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  async take(
    requester: Requester,
    trigger: 'admin' | 'schedule',
  ): Promise<Started> {
    const snapshotId = randomUUID();
    await this.handle(snapshotId, requester, {
      type: 'RequestSnapshot',
      snapshotId,
      tenantId: requester.tenantId,
      trigger,
      at: this.now(),
    });

    return { snapshotId, done: this.copy(requester, snapshotId) };
  }

  /** Throws DomainError for a snapshot that is missing or not ready. */
  async restore(requester: Requester, snapshotId: string): Promise<Started> {
    const state = await this.snapshotOf(requester, snapshotId);
    const position = restorePosition(state, this.now());

    await this.deps.restores.close(requester.tenantId, snapshotId);
    const done = this.restoreFrom(requester, snapshotId, position);

    return { snapshotId, done };
  }

  /** Resolves with where the read models will show the deletion. */
  async delete(
    requester: Requester,
    snapshotId: string,
  ): Promise<bigint | undefined> {
    await this.snapshotOf(requester, snapshotId);

    const result = await this.handle(snapshotId, requester, {
      type: 'DeleteSnapshot',
      at: this.now(),
    });
    await this.deps.copies.erase(snapshotId);

    return result.position;
  }

  /** The sweeper's work on one expired snapshot: purged, and recorded. */
  async purge(tenantId: string, snapshotId: string): Promise<boolean> {
    const requester = { tenantId, requestId: `retention-${snapshotId}` };
    const result = await this.handle(snapshotId, requester, {
      type: 'PurgeSnapshot',
      at: this.now(),
    });
    await this.deps.copies.erase(snapshotId);

    return result.events.length > 0;
  }

  private async copy(requester: Requester, snapshotId: string) {
    const at = this.now();
    const expiresAt = new Date(+at + this.deps.retentionDays * 86_400_000);

    try {
      const copy = await this.deps.copies.copy(
        requester.tenantId,
        snapshotId,
        expiresAt,
      );
      await this.handle(snapshotId, requester, {
        type: 'RecordCopy',
        ...copy,
        retentionDays: this.deps.retentionDays,
        at,
      });
    } catch (error) {
      await this.recordFailure(requester, snapshotId, error);
    }
  }

  private async restoreFrom(
    requester: Requester,
    snapshotId: string,
    position: bigint,
  ): Promise<void> {
    try {
      const caughtUpTo = await this.deps.copies.restore(
        requester.tenantId,
        snapshotId,
        position,
      );
      await this.handle(snapshotId, requester, {
        type: 'RecordRestore',
        caughtUpTo: caughtUpTo ?? position,
        at: this.now(),
      });
    } catch (error) {
      this.deps.logger.error(
        { err: error, snapshotId, tenantId: requester.tenantId },
        'restore failed',
      );
    } finally {
      await this.deps.restores.open(requester.tenantId);
    }
  }

  private async recordFailure(
    requester: Requester,
    snapshotId: string,
    error: unknown,
  ): Promise<void> {
    this.deps.logger.error(
      { err: error, snapshotId, tenantId: requester.tenantId },
      'snapshot failed',
    );
    await this.deps.copies.erase(snapshotId);
    await this.handle(snapshotId, requester, {
      type: 'RecordFailure',
      reason: 'The read models could not be copied',
      at: this.now(),
    });
  }

  /** Another tenant's snapshot is as missing as one that never existed. */
  private async snapshotOf(
    requester: Requester,
    snapshotId: string,
  ): Promise<SnapshotState> {
    const state = await this.handler.current(snapshotStreamName(snapshotId));
    if (state.status === 'absent' || state.tenantId !== requester.tenantId) {
      throw new DomainError(
        'snapshot_not_found',
        'not_found',
        'No such snapshot',
      );
    }

    return state;
  }

  private handle(
    snapshotId: string,
    requester: Requester,
    command: SnapshotCommand,
  ) {
    return this.handler.handle(
      snapshotStreamName(snapshotId),
      command,
      contextOf(requester),
    );
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

function contextOf({ tenantId, requestId }: Requester): CommandContext {
  return { tenantId, correlationId: requestId, causationId: requestId };
}
