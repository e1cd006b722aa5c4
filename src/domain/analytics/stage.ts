import type { StatusCategory } from '../work-item/work-item-events.js';

/** Where a status stands in the flow of work. */
export const stages = ['todo', 'in_progress', 'done'] as const;

export type Stage = (typeof stages)[number];

/**
 * Jira's own answer, by status category. `undefined` is Jira's key for a
 * status in no category: it says nothing about the stage, so it maps to
 * nothing, like a missing category.
 */
const stageByCategory: Record<StatusCategory, Stage | undefined> = {
  new: 'todo',
  indeterminate: 'in_progress',
  done: 'done',
  undefined: undefined,
};

export function stageOfCategory(
  category: StatusCategory | null | undefined,
): Stage | undefined {
  return category ? stageByCategory[category] : undefined;
}

/**
 * The stage of a status nothing tells the stage of: neither the tenant's
 * mapping, nor the event, nor the workflow, nor any observation. To do
 * neither starts nor finishes an item, so such a status cannot make up a
 * cycle time; at worst it hides one until its category is learnt.
 */
export const unknownStatusStage: Stage = 'todo';
