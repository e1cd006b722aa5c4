import {
  issueTypeIndex,
  projectIndex,
} from '../../src/commands/jira/issue-facts.js';
import type {
  StatusCategory,
  StatusChange,
  WorkItemObservation,
} from '../../src/domain/work-item/work-item-events.js';
import { workItemStreamName } from '../../src/domain/work-item/work-item-events.js';
import type { BlindIndex } from '../../src/ports/blind-index.js';
import type { NewEvent } from '../../src/ports/event-store.js';

const workflow: { id: string; name: string; category: StatusCategory }[] = [
  { id: '1', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'In Review', category: 'indeterminate' },
  { id: '10002', name: 'Done', category: 'done' },
];

const projects = 10;
const createdAt = Date.parse('2026-01-05T09:00:00.000Z');
const hourMs = 3_600_000;

/** Blind indexes of the bench's projects and issue type, made once. */
export interface FactIndexes {
  project: (project: number) => string;
  issueType: string;
}

/**
 * The facts a Jira connector would record for a tenant's work items,
 * made up but shaped as the real ones: an observation per item, then
 * status changes along a four-step workflow. Change number `n` of the
 * whole tenant goes to item `n mod items`, so every item gets its turn
 * and the number of transitions in the read models is the number of
 * changes made.
 */
export class WorkItemFacts {
  constructor(
    readonly tenantId: string,
    readonly items: number,
    private readonly indexes: FactIndexes,
  ) {}

  /** Each tenant has its own connection, so its own streams. */
  get connectionId(): string {
    return `jira-${this.tenantId}`;
  }

  streamOf(item: number): string {
    return workItemStreamName(this.connectionId, issueIdOf(item));
  }

  /** What the connector saw of the item when it was created. */
  observed(item: number): NewEvent {
    const status = workflow[0]!;
    const project = item % projects;
    const data: WorkItemObservation = {
      connectionId: this.connectionId,
      issueId: issueIdOf(item),
      key: `P${project}-${item + 1}`,
      summary: `Checkout fails for carts with more than ${item % 97} items`,
      projectId: String(10_000 + project),
      projectKey: `P${project}`,
      projectName: `Project number ${project}`,
      projectIndex: this.indexes.project(project),
      issueTypeId: '10004',
      issueTypeName: 'Story',
      issueTypeIndex: this.indexes.issueType,
      statusId: status.id,
      statusName: status.name,
      statusCategory: status.category,
      priority: 'Medium',
      assignee: {
        accountId: `5b10a2844c20165700ede${item % 50}`,
        displayName: `Person ${item % 50}`,
      },
      parentKey: null,
      createdAt: instant(createdAt + item),
      updatedAt: instant(createdAt + item),
      resolvedAt: null,
    };

    return this.event('WorkItemObserved', data, `observe-${item}`);
  }

  /** The tenant's change number `n`, to item `n mod items`. */
  change(n: number): { stream: string; event: NewEvent } {
    const item = n % this.items;
    const step = Math.floor(n / this.items);
    const from = workflow[step % workflow.length]!;
    const to = workflow[(step + 1) % workflow.length]!;
    const data: StatusChange = {
      connectionId: this.connectionId,
      issueId: issueIdOf(item),
      changelogId: String(100_000_000 + n),
      changedAt: instant(createdAt + (step + 1) * hourMs + item),
      fromStatusId: from.id,
      fromStatusName: from.name,
      fromCategory: from.category,
      toStatusId: to.id,
      toStatusName: to.name,
      toCategory: to.category,
    };

    return {
      stream: this.streamOf(item),
      event: this.event('WorkItemStatusChanged', data, `change-${n}`),
    };
  }

  private event(type: string, data: object, cause: string): NewEvent {
    return {
      type,
      data: data as NewEvent['data'],
      metadata: {
        tenantId: this.tenantId,
        correlationId: `bench-${cause}`,
        causationId: `bench-${cause}`,
        schemaVersion: 1,
      },
    };
  }
}

function issueIdOf(item: number): string {
  return String(20_000 + item);
}

function instant(ms: number): string {
  return new Date(ms).toISOString();
}

/** The indexes the connector would make, under the tenant's index key. */
export async function factIndexes(
  tenantId: string,
  blindIndex: BlindIndex,
): Promise<FactIndexes> {
  const input = { tenantId, blindIndex };
  const keys = await Promise.all(
    Array.from({ length: projects }, (_, project) =>
      projectIndex(input, `P${project}`),
    ),
  );

  return {
    project: (project) => keys[project]!,
    issueType: await issueTypeIndex(input, 'Story'),
  };
}
