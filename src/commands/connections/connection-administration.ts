import { randomBytes, randomUUID } from 'node:crypto';

import {
  checkCredentials,
  connectionDecider,
} from '../../domain/connection/connection.js';
import type {
  ConnectionChange,
  ConnectionCommand,
  ConnectionDetails,
  ConnectionState,
} from '../../domain/connection/connection.js';
import {
  connectionEvents,
  connectionStreamName,
} from '../../domain/connection/connection-events.js';
import type {
  ConnectionKind,
  Credentials,
} from '../../domain/connection/connection-events.js';
import { DomainError } from '../../domain/domain-error.js';
import { EventCodec } from '../../domain/event-codec.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { CommandHandler } from '../command-handler.js';
import { parseCaCertificate } from '../connectors/ca-certificate.js';
import { parseTargetUrl } from '../connectors/target-url.js';
import { commandContext } from '../identity/identity-context.js';
import type { Requester } from '../identity/identity-context.js';
import type {
  JiraAccount,
  JiraClient,
  JiraTarget,
} from '../jira/jira-client.js';

export interface ConnectionDependencies {
  store: EventStore;
  logger: Logger;
  jira: JiraClient;
  /** The operator's switch that lets tests reach a stub on loopback. */
  allowPrivateTargets: boolean;
  now?: () => Date;
}

export interface NewConnectionInput {
  kind: ConnectionKind;
  name: string;
  baseUrl: string;
  credentials: Credentials;
  caCertificate?: string | undefined;
  projects?: string[] | undefined;
}

export type ConnectionPatch = Omit<ConnectionChange, 'at'>;

export interface ConnectionWrite {
  connectionId: string;
  /** Where the read models will show it; absent when nothing changed. */
  position: bigint | undefined;
}

export interface CreatedConnection extends ConnectionWrite {
  /** Shown to the admin once, in the answer to the creation. */
  webhookSecret: string;
  account: JiraAccount;
}

export interface RotatedSecret extends ConnectionWrite {
  webhookSecret: string;
  previousValidUntil: string;
}

/** How long a rotated webhook secret is still accepted. */
export const webhookSecretGraceMs = 24 * 60 * 60 * 1000;

/**
 * An admin's work on the connections of their tenant. Every change that
 * touches how Hakkiri reaches the tool is tried against the tool first,
 * and refused with the tool's answer when it fails.
 */
export class ConnectionAdministration {
  private readonly handler;

  constructor(private readonly deps: ConnectionDependencies) {
    this.handler = new CommandHandler({
      decider: connectionDecider,
      codec: new EventCodec(connectionEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  async create(
    requester: Requester,
    input: NewConnectionInput,
  ): Promise<CreatedConnection> {
    const baseUrl = parseTargetUrl(input.baseUrl, this.deps).baseUrl;
    checkCredentials(input.kind, input.credentials);
    const caCertificate = input.caCertificate ?? null;
    if (caCertificate !== null) parseCaCertificate(caCertificate);
    const account = await this.deps.jira.myself(
      jiraTarget({ ...input, baseUrl, caCertificate }),
    );

    const connectionId = randomUUID();
    const webhookSecret = newWebhookSecret();
    const result = await this.handle(requester, connectionId, {
      type: 'CreateConnection',
      connectionId,
      tenantId: requester.tenantId,
      kind: input.kind,
      name: input.name,
      baseUrl,
      credentials: input.credentials,
      caCertificate,
      projects: input.projects ?? [],
      webhookSecret,
      at: this.now(),
    });

    return { connectionId, webhookSecret, account, position: result.position };
  }

  async change(
    requester: Requester,
    connectionId: string,
    patch: ConnectionPatch,
  ): Promise<ConnectionWrite> {
    const current = await this.activeConnection(requester, connectionId);
    if (patch.credentials !== undefined) {
      checkCredentials(current.kind, patch.credentials);
    }
    if (typeof patch.caCertificate === 'string') {
      parseCaCertificate(patch.caCertificate);
    }
    if (patch.credentials !== undefined || patch.caCertificate !== undefined) {
      await this.deps.jira.myself(jiraTarget({ ...current, ...patch }));
    }

    const result = await this.handle(requester, connectionId, {
      type: 'ChangeConnection',
      ...patch,
      at: this.now(),
    });

    return { connectionId, position: result.position };
  }

  async disable(
    requester: Requester,
    connectionId: string,
  ): Promise<ConnectionWrite> {
    await this.connection(requester, connectionId);

    const result = await this.handle(requester, connectionId, {
      type: 'DisableConnection',
      at: this.now(),
    });

    return { connectionId, position: result.position };
  }

  /** The old secret keeps working for a day, while Jira is updated. */
  async rotateWebhookSecret(
    requester: Requester,
    connectionId: string,
  ): Promise<RotatedSecret> {
    await this.activeConnection(requester, connectionId);
    const webhookSecret = newWebhookSecret();
    const at = this.now();

    const result = await this.handle(requester, connectionId, {
      type: 'RotateWebhookSecret',
      webhookSecret,
      graceMs: webhookSecretGraceMs,
      at,
    });

    return {
      connectionId,
      webhookSecret,
      previousValidUntil: new Date(+at + webhookSecretGraceMs).toISOString(),
      position: result.position,
    };
  }

  /**
   * The connection as its events tell it, secrets included, for the code
   * that uses it. Another tenant's connection is as missing as one that
   * never existed.
   */
  async connection(
    requester: Pick<Requester, 'tenantId'>,
    connectionId: string,
  ): Promise<Exclude<ConnectionState, { status: 'absent' }>> {
    const state = await this.handler.current(
      connectionStreamName(connectionId),
    );
    if (state.status === 'absent' || state.tenantId !== requester.tenantId) {
      throw notFound();
    }

    return state;
  }

  private async activeConnection(
    requester: Requester,
    connectionId: string,
  ): Promise<ConnectionDetails> {
    const state = await this.connection(requester, connectionId);
    if (state.status === 'disabled') {
      throw new DomainError(
        'connection_disabled',
        'conflict',
        'The connection is disabled',
      );
    }

    return state;
  }

  private handle(
    requester: Requester,
    connectionId: string,
    command: ConnectionCommand,
  ) {
    return this.handler.handle(
      connectionStreamName(connectionId),
      command,
      commandContext(requester),
    );
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** How the connector reaches the tool that a connection names. */
export function jiraTarget(connection: {
  kind: ConnectionKind;
  baseUrl: string;
  credentials: Credentials;
  caCertificate: string | null;
}): JiraTarget {
  return {
    kind: connection.kind,
    baseUrl: connection.baseUrl,
    credentials: connection.credentials,
    ...(connection.caCertificate === null
      ? {}
      : { caCertificate: connection.caCertificate }),
  };
}

/** 256 random bits, in a form Jira's webhook settings accept. */
function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

function notFound(): DomainError {
  return new DomainError(
    'connection_not_found',
    'not_found',
    'No such connection',
  );
}
