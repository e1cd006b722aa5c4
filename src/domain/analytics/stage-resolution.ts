import type { StatusCategory } from '../work-item/work-item-events.js';
import { stageOfCategory, unknownStatusStage } from './stage.js';
import type { Stage } from './stage.js';
import type { StatusRule } from './status-mapping-events.js';
import { statusNameKey } from './status-mapping.js';

/** A status as an event names it. */
export interface StatusRef {
  id: string;
  name: string;
  /** The category the event carried, if it carried one. */
  category: StatusCategory | null;
}

export interface ResolvedStage {
  stage: Stage;
  excludeFromThroughput: boolean;
  /**
   * True when neither the mapping nor the event decided, so the answer
   * may change when the connection's workflow or observations say more.
   */
  fallback: boolean;
}

export type StageResolver = (status: StatusRef) => ResolvedStage;

/**
 * What the connection knows of a status's category apart from the event:
 * its workflow catalog first, then what observations of items taught.
 */
export type KnownCategory = (statusId: string) => StatusCategory | undefined;

/**
 * Resolves a status's stage by, in turn: the tenant's mapping by status
 * name, the category the event carries, the category the connection
 * knows (workflow catalog, then observations), and last `todo`.
 */
export function stageResolver(
  rules: readonly StatusRule[],
  knownCategory: KnownCategory,
): StageResolver {
  const byName = new Map(
    rules.map((rule) => [statusNameKey(rule.status), rule]),
  );

  return (status) => {
    const rule = byName.get(statusNameKey(status.name));
    if (rule) {
      return {
        stage: rule.stage,
        excludeFromThroughput: rule.excludeFromThroughput,
        fallback: false,
      };
    }

    const carried = stageOfCategory(status.category);
    if (carried) {
      return { stage: carried, excludeFromThroughput: false, fallback: false };
    }

    return {
      stage: fallbackStage(knownCategory(status.id)),
      excludeFromThroughput: false,
      fallback: true,
    };
  };
}

/** The stage a status gets when only the connection's knowledge decides. */
export function fallbackStage(category: StatusCategory | undefined): Stage {
  return stageOfCategory(category) ?? unknownStatusStage;
}
