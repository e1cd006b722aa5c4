import { randomUUID } from 'node:crypto';

import { DomainError } from '../../domain/domain-error.js';
import type { StatusCategory } from '../../domain/work-item/work-item-events.js';
import type { BlindIndex } from '../../ports/blind-index.js';
import type { Logger } from '../../ports/logger.js';
import type { CommandContext } from '../command-handler.js';
import {
  ConnectorError,
  connectorFailures,
} from '../connectors/connector-errors.js';
import {
  jiraTarget,
  type ConnectionAdministration,
} from '../connections/connection-administration.js';
import { issueFacts } from '../jira/issue-facts.js';
import type { JiraClient, JiraTarget } from '../jira/jira-client.js';
import type { JiraIssue } from '../jira/jira-issue.js';
import { syncJql } from '../jira/sync-query.js';
import type { WorkItemRecorder } from '../work-items/work-item-recorder.js';
import type { WorkflowCatalog } from '../work-items/workflow-catalog.js';
import { SyncLeaseLostError } from './sync-ledger.js';
import type {
  SyncDocument,
  SyncFailure,
  SyncLease,
  SyncLedger,
  SyncRun,
  SyncTrigger,
} from './sync-ledger.js';

export interface JiraSyncDependencies {
  connections: ConnectionAdministration;
  jira: JiraClient;
  recorder: WorkItemRecorder;
  workflows: WorkflowCatalog;
  ledger: SyncLedger;
  blindIndex: BlindIndex;
  logger: Logger;
  /** Names this instance as a lease holder. */
  holder?: string;
  /** How far before the checkpoint each run reads again. */
  overlapMs?: number;
  /**
   * Issues of one page recorded at once; their appends share commits.
   * The whole page unless told.
   */
  concurrency?: number;
  now?: () => Date;
}

export type SyncOutcome = Pick<
  SyncDocument,
  'state' | 'run' | 'lastError' | 'checkpoint'
>;

export type SyncStart =
  | { kind: 'started'; syncId: string; done: Promise<SyncOutcome> }
  | { kind: 'busy' };

interface RunContext {
  tenantId: string;
  connectionId: string;
  target: JiraTarget;
  projects: string[];
  /** Stops the run between pages; it resumes from there next time. */
  signal: AbortSignal | undefined;
  context: CommandContext;
}

/**
 * Incremental sync of one Jira connection. A run asks for the issues
 * updated since the last good run began, page by page, records their
 * facts, and only then saves the page's cursor, so a run that dies
 * resumes where its facts end. Facts are recorded once however often
 * they are seen, so reading a page twice is harmless.
 */
export class JiraSync {
  private readonly holder: string;

  constructor(private readonly deps: JiraSyncDependencies) {
    this.holder = deps.holder ?? randomUUID();
  }

  /**
   * Takes the connection's lease and runs in the background. Refuses a
   * missing or disabled connection with a DomainError.
   */
  async start(
    tenantId: string,
    connectionId: string,
    trigger: SyncTrigger,
    signal?: AbortSignal,
  ): Promise<SyncStart> {
    const connection = await this.deps.connections.connection(
      { tenantId },
      connectionId,
    );
    if (connection.status === 'disabled') {
      throw new DomainError(
        'connection_disabled',
        'conflict',
        'The connection is disabled',
      );
    }

    const acquired = await this.deps.ledger.acquire(
      tenantId,
      connectionId,
      this.holder,
      this.now(),
    );
    if (acquired.kind === 'busy') return acquired;

    const run = this.runFor(acquired.lease.document, trigger);
    const lease = await this.deps.ledger.update(
      acquired.lease,
      { state: 'running', run },
      this.now(),
    );
    const done = this.execute(lease, run, {
      tenantId,
      connectionId,
      target: jiraTarget(connection),
      projects: connection.projects,
      signal,
      context: {
        tenantId,
        correlationId: run.syncId,
        causationId: run.syncId,
      },
    });

    return { kind: 'started', syncId: run.syncId, done };
  }

  /** A run that was cut short goes on; otherwise a new one begins. */
  private runFor(document: SyncDocument, trigger: SyncTrigger): SyncRun {
    if (document.state === 'running' && document.run !== null) {
      return document.run;
    }

    return {
      syncId: randomUUID(),
      trigger,
      since: document.checkpoint,
      cursor: null,
      startedAt: this.now().toISOString(),
      itemsSeen: 0,
      pagesFetched: 0,
    };
  }

  private async execute(
    lease: SyncLease,
    run: SyncRun,
    ctx: RunContext,
  ): Promise<SyncOutcome> {
    const progress: Progress = { lease, run };

    try {
      await this.pages(progress, ctx);
      return await this.finish(progress.lease, {
        state: 'succeeded',
        run: progress.run,
        checkpoint: progress.run.startedAt,
        lastSuccessAt: this.now().toISOString(),
        lastError: null,
      });
    } catch (error) {
      if (error instanceof SyncLeaseLostError) return this.lost(error, run);
      if (error instanceof SyncStopped) return this.stopped(progress);

      return await this.finish(progress.lease, {
        state: 'failed',
        lastError: this.failureOf(error, ctx),
      });
    }
  }

  /**
   * Reads and records every page, saving the cursor after each. The next
   * page is asked for while this one is recorded, so the wait for Jira
   * and the writes overlap; the cursor saved is still that of the page
   * whose facts are in.
   */
  private async pages(progress: Progress, ctx: RunContext): Promise<void> {
    const categories = await this.prepare(ctx);
    const account = await this.deps.jira.myself(ctx.target);
    const jql = syncJql({
      since: progress.run.since,
      overlapMs: this.deps.overlapMs ?? 5 * 60_000,
      timeZone: account.timeZone,
      projects: ctx.projects,
    });
    const search = (cursor: string | undefined) =>
      settledLater(this.deps.jira.search(ctx.target, jql, cursor));

    let next = search(progress.run.cursor ?? undefined);
    for (;;) {
      const page = await next;
      if (page.next !== undefined) next = search(page.next);
      await this.recordAll(page.issues, categories, ctx);

      progress.run = {
        ...progress.run,
        cursor: page.next ?? null,
        itemsSeen: progress.run.itemsSeen + page.issues.length,
        pagesFetched: progress.run.pagesFetched + 1,
      };
      progress.lease = await this.deps.ledger.update(
        progress.lease,
        { run: progress.run },
        this.now(),
      );
      if (page.next === undefined) return;
      if (ctx.signal?.aborted) throw new SyncStopped();
    }
  }

  /** The workflow's statuses first, so transitions know their stages. */
  private async prepare(
    ctx: RunContext,
  ): Promise<ReadonlyMap<string, StatusCategory>> {
    const statuses = await this.deps.jira.statuses(ctx.target);

    return this.deps.workflows.record(ctx.context, ctx.connectionId, statuses);
  }

  private async recordAll(
    issues: JiraIssue[],
    categories: ReadonlyMap<string, StatusCategory>,
    ctx: RunContext,
  ): Promise<void> {
    const queue = [...issues];
    const worker = async () => {
      for (let issue = queue.shift(); issue; issue = queue.shift()) {
        await this.record(issue, categories, ctx);
      }
    };

    const width = Math.min(
      this.deps.concurrency ?? issues.length,
      issues.length,
    );
    await Promise.all(Array.from({ length: width }, worker));
  }

  private async record(
    issue: JiraIssue,
    categories: ReadonlyMap<string, StatusCategory>,
    ctx: RunContext,
  ): Promise<void> {
    const facts = await issueFacts({
      tenantId: ctx.tenantId,
      connectionId: ctx.connectionId,
      issue,
      histories: issue.changelog?.histories ?? [],
      categories,
      blindIndex: this.deps.blindIndex,
    });

    await this.deps.recorder.recordIssue(ctx.context, facts);
  }

  private async finish(
    lease: SyncLease,
    change: Partial<SyncDocument>,
  ): Promise<SyncOutcome> {
    const finished = await this.deps.ledger.update(
      lease,
      { ...change, finishedAt: this.now().toISOString() },
      this.now(),
    );
    await this.deps.ledger.release(finished);
    const { state, run, lastError, checkpoint } = finished.document;

    return { state, run, lastError, checkpoint };
  }

  /** Still running as far as the ledger knows, so the next run resumes. */
  private async stopped(progress: Progress): Promise<SyncOutcome> {
    await this.deps.ledger.release(progress.lease);
    const { state, run, lastError, checkpoint } = progress.lease.document;

    return { state, run, lastError, checkpoint };
  }

  private lost(error: SyncLeaseLostError, run: SyncRun): SyncOutcome {
    this.deps.logger.warn(
      { connectionId: error.connectionId, syncId: run.syncId },
      'sync lease lost to another instance; this run stops',
    );

    return { state: 'running', run, lastError: null, checkpoint: null };
  }

  /**
   * What an admin is shown: our own words for the reason, never the
   * tool's, which may name the customer's hosts.
   */
  private failureOf(error: unknown, ctx: RunContext): SyncFailure {
    const at = this.now().toISOString();
    if (error instanceof ConnectorError) {
      this.deps.logger.warn(
        { connectionId: ctx.connectionId, reason: error.reason },
        'sync failed',
      );
      const message = connectorFailures[error.reason];
      return { reason: error.reason, message, at };
    }

    this.deps.logger.error(
      { err: error, connectionId: ctx.connectionId },
      'sync failed unexpectedly',
    );
    return { reason: 'internal', message: 'The sync failed unexpectedly', at };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** The service is stopping; the run ends between two pages. */
class SyncStopped extends Error {}

/**
 * A request whose answer may never be awaited, when the run stops or
 * fails first: its failure is then dropped rather than left unhandled.
 * Awaiting it still throws.
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);

  return promise;
}

/** How far a run has got, and the lease as last written. */
interface Progress {
  lease: SyncLease;
  run: SyncRun;
}
