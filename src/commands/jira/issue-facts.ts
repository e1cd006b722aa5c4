import { DomainError } from '../../domain/domain-error.js';
import { statusCategories } from '../../domain/work-item/work-item-events.js';
import type {
  StatusCategory,
  StatusChange,
  WorkItemObservation,
} from '../../domain/work-item/work-item-events.js';
import {
  issueTypeIndexInput,
  issueTypeIndexPurpose,
  projectIndexInput,
  projectIndexPurpose,
} from '../../domain/work-item/work-item-indexes.js';
import type { BlindIndex } from '../../ports/blind-index.js';
import type { ChangelogHistory, WebhookIssue } from './jira-issue.js';

/**
 * An observation as a source reports it. A delivery that leaves out the
 * creation time is completed from what is already known of the item.
 */
export type ObservationReport = Omit<WorkItemObservation, 'createdAt'> & {
  createdAt: string | undefined;
};

/** What one look at an issue tells: its state now, and its transitions. */
export interface IssueFacts {
  observation: ObservationReport;
  statusChanges: StatusChange[];
}

export interface IssueFactsInput {
  tenantId: string;
  connectionId: string;
  /** From search, or from a webhook, which may lack the times. */
  issue: WebhookIssue;
  /** The changelog: from search, or the one a webhook carries. */
  histories: readonly ChangelogHistory[];
  /** When the source saw it: stands in for a missing `updated`. */
  observedAt?: string;
  /** The category of each status in the connection's workflows. */
  categories: ReadonlyMap<string, StatusCategory>;
  blindIndex: BlindIndex;
}

/**
 * Turns an issue, from sync or from a webhook, into the facts both
 * report alike: the same input gives the same facts, whichever way it
 * came.
 */
export async function issueFacts(input: IssueFactsInput): Promise<IssueFacts> {
  const { issue, connectionId } = input;
  const { fields } = issue;
  const current = issue.fields.status;

  const observation: ObservationReport = {
    connectionId,
    issueId: issue.id,
    key: issue.key,
    summary: fields.summary ?? '',
    projectId: fields.project.id,
    projectKey: fields.project.key,
    projectName: fields.project.name ?? fields.project.key,
    projectIndex: await projectIndex(input, fields.project.key),
    issueTypeId: fields.issuetype.id,
    issueTypeName: fields.issuetype.name,
    issueTypeIndex: await issueTypeIndex(input, fields.issuetype.name),
    statusId: current.id,
    statusName: current.name,
    statusCategory: categoryKey(current.statusCategory.key),
    priority: fields.priority?.name ?? null,
    assignee: fields.assignee ?? null,
    parentKey: fields.parent?.key ?? null,
    createdAt: fields.created,
    updatedAt: updatedAt(input),
    resolvedAt: fields.resolutiondate ?? null,
  };

  return {
    observation,
    statusChanges: statusChanges(connectionId, issue.id, input),
  };
}

/** A webhook without `updated` was sent when the update happened. */
function updatedAt(input: IssueFactsInput): string {
  const updated = input.issue.fields.updated ?? input.observedAt;
  if (updated === undefined) {
    throw new DomainError(
      'issue_time_missing',
      'invalid',
      'The issue says neither when it was updated nor when it was sent',
    );
  }

  return updated;
}

/** The blind index that finds items by project key, in any case. */
export function projectIndex(
  input: Pick<IssueFactsInput, 'tenantId' | 'blindIndex'>,
  projectKey: string,
): Promise<string> {
  return input.blindIndex.ofTenantValue(
    input.tenantId,
    projectIndexPurpose,
    projectIndexInput(projectKey),
  );
}

/** The blind index that finds items by issue type name. */
export function issueTypeIndex(
  input: Pick<IssueFactsInput, 'tenantId' | 'blindIndex'>,
  issueTypeName: string,
): Promise<string> {
  return input.blindIndex.ofTenantValue(
    input.tenantId,
    issueTypeIndexPurpose,
    issueTypeIndexInput(issueTypeName),
  );
}

/**
 * The changelog items that moved the status. Jira names the field
 * `status`; created issues may list it as `Status`, from no status.
 */
function statusChanges(
  connectionId: string,
  issueId: string,
  input: IssueFactsInput,
): StatusChange[] {
  return input.histories.flatMap((history) =>
    history.items
      .filter(
        (item) =>
          (item.fieldId ?? item.field).toLowerCase() === 'status' &&
          typeof item.to === 'string' &&
          item.to !== '',
      )
      .map((item) => ({
        connectionId,
        issueId,
        changelogId: history.id,
        changedAt: history.created,
        fromStatusId: item.from || null,
        fromStatusName: item.fromString ?? null,
        fromCategory: item.from ? categoryOf(input, item.from) : null,
        toStatusId: item.to!,
        toStatusName: item.toString ?? '',
        toCategory: categoryOf(input, item.to!),
      })),
  );
}

/**
 * A status's category when it is known, else null: the issue's own status
 * carries its category; the others are looked up in the workflows. A
 * function of the module, not a closure made per issue: the TypeScript
 * loader names each closure as it is made.
 */
function categoryOf(
  input: IssueFactsInput,
  statusId: string,
): StatusCategory | null {
  const current = input.issue.fields.status;

  return statusId === current.id
    ? categoryKey(current.statusCategory.key)
    : (input.categories.get(statusId) ?? null);
}

/** Jira's category keys; anything else is as good as no category. */
export function categoryKey(key: string): StatusCategory {
  return (statusCategories as readonly string[]).includes(key)
    ? (key as StatusCategory)
    : 'undefined';
}
