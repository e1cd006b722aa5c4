import type { StatusCategory } from '../../domain/work-item/work-item-events.js';
import type {
  FieldCondition,
  Filter,
  Page,
  ReadStore,
} from '../../ports/read-store.js';
import { workItemsCollection } from './work-item-documents.js';
import type { WorkItemDocument } from './work-item-documents.js';

export interface WorkItemFilter {
  connectionId?: string | undefined;
  /** The blind index of a project key. */
  projectIndex?: string | undefined;
  statusCategory?: StatusCategory | undefined;
  updatedFrom?: string | undefined;
  updatedTo?: string | undefined;
}

/**
 * The drill-down list: one tenant's items, newest update first, a
 * bounded page at a time. There is no way to read them all at once.
 */
export class WorkItemList {
  static readonly maxPage = 100;

  constructor(private readonly store: ReadStore) {}

  async page(
    tenantId: string,
    filter: WorkItemFilter,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<Page<WorkItemDocument>> {
    return this.store
      .collection<WorkItemDocument>(workItemsCollection)
      .find(toFilter(tenantId, filter), {
        sort: [['updatedAt', -1]],
        limit: Math.min(options.limit, WorkItemList.maxPage),
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      });
  }
}

function toFilter(tenantId: string, filter: WorkItemFilter): Filter {
  const updated: FieldCondition = { $gte: filter.updatedFrom ?? '' };
  if (filter.updatedTo !== undefined) updated.$lte = filter.updatedTo;

  return {
    tenantId,
    deleted: false,
    updatedAt: updated,
    ...(filter.connectionId === undefined
      ? {}
      : { connectionId: filter.connectionId }),
    ...(filter.projectIndex === undefined
      ? {}
      : { projectIndex: filter.projectIndex }),
    ...(filter.statusCategory === undefined
      ? {}
      : { statusCategory: filter.statusCategory }),
  };
}
