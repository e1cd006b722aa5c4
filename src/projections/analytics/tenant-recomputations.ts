import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import type { ReadStore } from '../../ports/read-store.js';
import { Checkpoints } from '../checkpoints.js';
import {
  generationCollections,
  tenantsCollection,
} from './analytics-documents.js';
import type {
  AnalyticsTenantDocument,
  RecomputationProgress,
} from './analytics-documents.js';
import {
  analyticsProjectionName,
  contextOf,
  decodeFact,
} from './analytics-projection.js';
import type { AnalyticsProjection } from './analytics-projection.js';
import { AnalyticsSession } from './analytics-session.js';
import { FlushMarks, recomputationFlushMark } from './flush-marks.js';

export interface RecomputationOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projection: AnalyticsProjection;
  logger: Logger;
  /** Most log events read per slice. */
  sliceEvents?: number;
  /**
   * How long a slice may run. It holds the turn and, on SQLite, the read
   * store's transaction, and runs without giving way to other callbacks:
   * the live projection and the API's requests wait that long.
   */
  sliceMs?: number;
  /** How long to wait for work before looking again. */
  idleMs?: number;
  now?: () => Date;
}

/**
 * Recomputes a tenant's analytics from the event log when its status
 * mapping or time zone changes. The new numbers are built as a new
 * generation, beside the one queries read: the tenant's events are
 * replayed from the start of the log, slice by slice, taking turns with
 * the live projection, until the replay has caught up with it. Then, in
 * one write, the new generation becomes the one queries read, and the old
 * one is deleted. Other tenants' analytics are not touched, and the
 * tenant's own keep answering, with the old numbers, until the switch.
 */
export class TenantRecomputations {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly sliceEvents: number;
  private readonly sliceMs: number;
  private readonly idleMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: RecomputationOptions) {
    this.sliceEvents = options.sliceEvents ?? 5000;
    this.sliceMs = options.sliceMs ?? 20;
    this.idleMs = options.idleMs ?? 500;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.running) return;

    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.projection.coordination.workArrived();
    await this.loop;
  }

  /** Does one unit of work; false when there was none. */
  async step(): Promise<boolean> {
    const page = await this.tenants(this.options.readStore).find(
      { pendingWork: true },
      { limit: 1 },
    );
    const tenant = page.items[0];
    if (!tenant) return false;

    if (tenant.staleGenerations.length > 0) {
      await this.deleteGenerations(tenant.tenantId, tenant.staleGenerations);
    } else {
      await this.replaySlice(tenant.tenantId);
    }

    return true;
  }

  private async run(): Promise<void> {
    const { coordination } = this.options.projection;

    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
      } catch (error) {
        this.options.logger.error(
          { err: error },
          'analytics recomputation failed; retrying',
        );
      }
      if (!worked && this.running) await coordination.nextWork(this.idleMs);
      // Lets timers and requests run between slices.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Replays one slice of the log into the tenant's next generation. */
  private replaySlice(tenantId: string): Promise<void> {
    const { readStore, projection } = this.options;

    return readStore.inBatch((store) =>
      projection.coordination.exclusive(async () => {
        const tenants = this.tenants(store);
        const tenant = await tenants.get(tenantId);
        if (!tenant) return;
        if (!tenant.recomputing) {
          await tenants.update(tenantId, { $set: { pendingWork: false } });
          return;
        }

        const progress = await this.replay(store, tenant);
        const done = progress.state === 'done';
        await tenants.update(tenantId, {
          $set: {
            tenantId,
            recomputation: progress,
            ...(done && {
              active: tenant.requested,
              activeMapping: tenant.requestedMapping,
              recomputing: false,
              staleGenerations: [
                ...tenant.staleGenerations,
                tenant.active.generation,
              ],
            }),
          },
        });
      }),
    );
  }

  private async replay(
    store: ReadStore,
    tenant: AnalyticsTenantDocument,
  ): Promise<RecomputationProgress> {
    const progress = this.progressOf(tenant);
    const limit = await this.livePosition(store);
    const context = contextOf(
      tenant.tenantId,
      tenant.requested,
      tenant.requestedMapping,
    );
    const session = new AnalyticsSession(store);
    const owner = {
      tenantId: tenant.tenantId,
      generation: tenant.requested.generation,
    };
    const marks = new FlushMarks(store, recomputationFlushMark(owner), owner);
    const marked = await marks.load();

    let after = progress.after === null ? undefined : BigInt(progress.after);
    // A slice that did not finish writing is replayed to where it ended,
    // whatever the live position and the time: see FlushMarks.
    const redo =
      marked !== undefined && marked > (after ?? 0n) ? marked : undefined;
    let eventsDone = progress.eventsDone;
    let caughtUp =
      redo === undefined && (limit === undefined || (after ?? 0n) >= limit);
    const deadline = performance.now() + this.sliceMs;
    if (!caughtUp) {
      const log = this.options.eventStore.readAll({
        ...(after !== undefined && { after }),
        ...(redo === undefined && { maxCount: this.sliceEvents }),
      });
      for await (const recorded of log) {
        if (
          redo !== undefined
            ? recorded.position > redo
            : recorded.position > limit!
        ) {
          caughtUp = redo === undefined;
          break;
        }
        after = recorded.position;
        if (recorded.metadata.tenantId === tenant.tenantId) {
          const fact = decodeFact(recorded);
          if (fact) {
            await session.applyFact(context, fact, recorded.position);
            eventsDone += 1;
          }
        }
        if (redo === undefined ? performance.now() > deadline : after >= redo) {
          break;
        }
      }
      // Past the live position, at it, or at the end of the log.
      caughtUp ||=
        (limit !== undefined && (after ?? 0n) >= limit) ||
        (await this.atEnd(after));
    }
    if (after !== undefined && after !== marked) await marks.mark(after);
    await session.flush();

    return {
      ...progress,
      after: after?.toString() ?? null,
      eventsDone,
      eventsTotal: Math.max(tenant.factEvents, eventsDone),
      ...(caughtUp && { state: 'done', finishedAt: this.now().toISOString() }),
    };
  }

  /** The recomputation under way, or a new one for the generation asked for. */
  private progressOf(tenant: AnalyticsTenantDocument): RecomputationProgress {
    const known = tenant.recomputation;
    const current =
      known?.state === 'running' &&
      known.generation === tenant.requested.generation;
    if (current) return known;

    return {
      generation: tenant.requested.generation,
      state: 'running',
      after: null,
      eventsDone: 0,
      eventsTotal: tenant.factEvents,
      startedAt: this.now().toISOString(),
      finishedAt: null,
    };
  }

  private async atEnd(after: bigint | undefined): Promise<boolean> {
    const head = await this.options.eventStore.headPosition();

    return head === undefined || (after !== undefined && after >= head);
  }

  /**
   * How far the live projection has written. Until it has written a batch
   * in this process, its stored checkpoint says; no batch of it can be
   * under way while a slice holds the turn.
   */
  private async livePosition(store: ReadStore): Promise<bigint | undefined> {
    const live = this.options.projection.coordination.livePosition;
    if (live !== undefined) return live;

    return (await new Checkpoints(store).load(analyticsProjectionName))
      .position;
  }

  /** Generations no query reads any more, and no writer writes. */
  private async deleteGenerations(
    tenantId: string,
    generations: number[],
  ): Promise<void> {
    const { readStore, projection } = this.options;
    for (const generation of generations) {
      for (const name of generationCollections) {
        await readStore.collection(name).deleteMany({ tenantId, generation });
      }
    }

    await readStore.inBatch((store) =>
      projection.coordination.exclusive(async () => {
        const tenants = this.tenants(store);
        const tenant = await tenants.get(tenantId);
        if (!tenant) return;

        const left = tenant.staleGenerations.filter(
          (g) => !generations.includes(g),
        );
        await tenants.update(tenantId, {
          $set: {
            staleGenerations: left,
            pendingWork: tenant.recomputing || left.length > 0,
          },
        });
      }),
    );
  }

  private tenants(store: ReadStore) {
    return store.collection<AnalyticsTenantDocument>(tenantsCollection);
  }
}
