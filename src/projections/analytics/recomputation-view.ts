import type {
  AnalyticsTenantDocument,
  RecomputationProgress,
} from './analytics-documents.js';

/**
 * How the last change of settings stands: `pending` until the replay
 * starts, `running` while it does, `done` once queries read the new
 * numbers, `idle` when nothing was ever recomputed.
 */
export interface RecomputationView {
  state: 'idle' | 'pending' | 'running' | 'done';
  generation: number;
  eventsDone: number;
  eventsTotal: number;
  startedAt: string | null;
  finishedAt: string | null;
}

function viewOf(
  progress: RecomputationProgress,
): Omit<RecomputationView, 'state'> {
  const { generation, eventsDone, eventsTotal, startedAt, finishedAt } =
    progress;

  return { generation, eventsDone, eventsTotal, startedAt, finishedAt };
}

export function recomputationView(
  tenant: AnalyticsTenantDocument | undefined,
): RecomputationView {
  const progress = tenant?.recomputation ?? null;
  const generation = tenant?.requested.generation ?? 0;
  const quiet = {
    generation,
    eventsDone: 0,
    eventsTotal: tenant?.factEvents ?? 0,
    startedAt: null,
    finishedAt: null,
  };

  if (tenant?.recomputing) {
    const running =
      progress?.state === 'running' && progress.generation === generation;
    return running
      ? { ...viewOf(progress), state: 'running', finishedAt: null }
      : { state: 'pending', ...quiet };
  }

  const done =
    progress?.state === 'done' &&
    progress.generation === tenant?.active.generation;
  return done
    ? { ...viewOf(progress), state: 'done' }
    : { state: 'idle', ...quiet };
}
