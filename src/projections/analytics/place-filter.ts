import type { ScopeFilter } from './analytics-documents.js';
import type { GenerationDimensions } from './generation-dimensions.js';

/** Whether a connection, project and issue type, by number, pass a filter. */
export type Place = (
  connection: number,
  project: number,
  issueType: number,
) => boolean;

/**
 * The filter over an entry's numbers; null when it names a value the
 * generation never met, so that nothing passes.
 */
export function placeFilter(
  dimensions: GenerationDimensions,
  filter: ScopeFilter,
): Place | null {
  const wanted = (
    dimension: 'connections' | 'projects' | 'issueTypes',
    value: string | undefined,
  ) => (value === undefined ? -1 : (dimensions.find(dimension, value) ?? null));
  const connection = wanted('connections', filter.connectionId);
  const project = wanted('projects', filter.projectIndex);
  const issueType = wanted('issueTypes', filter.issueTypeIndex);
  if (connection === null || project === null || issueType === null) {
    return null;
  }

  return (c, p, t) =>
    (connection < 0 || c === connection) &&
    (project < 0 || p === project) &&
    (issueType < 0 || t === issueType);
}

export function isFiltered(filter: ScopeFilter): boolean {
  return (
    filter.connectionId !== undefined ||
    filter.projectIndex !== undefined ||
    filter.issueTypeIndex !== undefined
  );
}
