import { z } from 'zod';

import type { EventStore } from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';
import type { ReadStore } from '../ports/read-store.js';
import { NotReadyError } from './api-errors.js';
import { apiState } from './api-state.js';
import { defineRoute } from './route-definition.js';
import type { RouteDefinition } from './route-definition.js';

/** One thing the service needs in order to serve: a store, usually. */
export interface ReadinessProbe {
  name: string;
  /** Resolves true when it answers; false or a rejection means down. */
  isReady(): Promise<boolean>;
}

type CheckOutcome = 'up' | 'timeout' | 'refused' | 'failed';

/** The event store is ready when it can tell the head of its log. */
export function eventStoreProbe(
  store: Pick<EventStore, 'headPosition'>,
): ReadinessProbe {
  return {
    name: 'eventStore',
    isReady: async () => {
      await store.headPosition();
      return true;
    },
  };
}

/** The read store is ready when it answers a ping. */
export function readStoreProbe(store: Pick<ReadStore, 'ping'>): ReadinessProbe {
  return { name: 'readStore', isReady: () => store.ping() };
}

const checksSchema = z.record(z.string(), z.enum(['up', 'down']));

/**
 * `GET /readyz`: 200 when every probe answers within `timeoutMs`, else a
 * 503 problem naming the ones that did not. Public, like a load balancer
 * needs it; it tells nothing about any tenant.
 */
export function readinessRoute(
  probes: readonly ReadinessProbe[],
  timeoutMs: number,
): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: the stores the service needs answer',
    tags: ['operations'],
    access: 'public',
    responses: {
      200: {
        description: 'Every store answers',
        schema: z.object({ status: z.literal('ready'), checks: checksSchema }),
      },
    },
    errors: [503],
    handle: async ({ ctx }) => {
      const logger = apiState(ctx).logger;
      const outcomes = await Promise.all(
        probes.map((probe) => outcomeOf(probe, timeoutMs, logger)),
      );
      const checks = Object.fromEntries(
        probes.map((probe, i) => [
          probe.name,
          outcomes[i] === 'up' ? 'up' : 'down',
        ]),
      ) as Record<string, 'up' | 'down'>;

      if (outcomes.some((outcome) => outcome !== 'up')) {
        throw new NotReadyError(checks);
      }

      return { status: 200, body: { status: 'ready', checks } };
    },
  });
}

async function outcomeOf(
  probe: ReadinessProbe,
  timeoutMs: number,
  logger: Logger,
): Promise<CheckOutcome> {
  const outcome = await boundedCheck(probe, timeoutMs);

  // Only the kind of failure is logged: a driver's message may hold a
  // connection string, password included.
  if (outcome !== 'up') {
    logger.warn({ check: probe.name, outcome }, 'readiness check failed');
  }

  return outcome;
}

async function boundedCheck(
  probe: ReadinessProbe,
  timeoutMs: number,
): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const check = probe.isReady().then(
    (ready): CheckOutcome => (ready ? 'up' : 'refused'),
    (): CheckOutcome => 'failed',
  );

  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
