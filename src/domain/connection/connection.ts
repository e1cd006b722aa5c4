import { z } from 'zod';

import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import {
  cloudCredentialsSchema,
  serverCredentialsSchema,
} from './connection-events.js';
import type {
  ConnectionEvent,
  ConnectionKind,
  Credentials,
} from './connection-events.js';

export interface NewConnection {
  connectionId: string;
  tenantId: string;
  kind: ConnectionKind;
  name: string;
  baseUrl: string;
  credentials: Credentials;
  caCertificate: string | null;
  projects: string[];
  webhookSecret: string;
  at: Date;
}

export type ConnectionCommand =
  | ({ type: 'CreateConnection' } & NewConnection)
  | ({ type: 'ChangeConnection' } & ConnectionChange)
  | { type: 'DisableConnection'; at: Date }
  | {
      type: 'RotateWebhookSecret';
      webhookSecret: string;
      graceMs: number;
      at: Date;
    };

/**
 * What an admin may change, together: a field left out stays as it is; a
 * null CA removes it.
 */
export interface ConnectionChange {
  name?: string;
  credentials?: Credentials;
  caCertificate?: string | null;
  at: Date;
}

export interface ConnectionDetails {
  connectionId: string;
  tenantId: string;
  kind: ConnectionKind;
  name: string;
  baseUrl: string;
  credentials: Credentials;
  caCertificate: string | null;
  projects: string[];
  webhookSecret: string;
  /** The secret before the last rotation, and until when it still holds. */
  previousSecret: { secret: string; until: string } | undefined;
  createdAt: string;
  credentialsChangedAt: string;
  caChangedAt: string;
}

export type ConnectionState =
  | { status: 'absent' }
  | ({ status: 'active' } & ConnectionDetails)
  | ({ status: 'disabled' } & ConnectionDetails);

const nameSchema = z.string().trim().min(1).max(200);

/** Jira project keys: a letter, then letters, digits or underscores. */
const projectKeySchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/);

export const connectionDecider: Decider<
  ConnectionState,
  ConnectionCommand,
  ConnectionEvent
> = {
  initialState: () => ({ status: 'absent' }),
  evolve,
  decide,
};

function decide(
  command: ConnectionCommand,
  state: ConnectionState,
): ConnectionEvent[] {
  switch (command.type) {
    case 'CreateConnection':
      return create(command, state);
    case 'ChangeConnection':
      return change(command, active(state));
    case 'DisableConnection':
      return disable(command.at, state);
    case 'RotateWebhookSecret':
      return rotateSecret(command, active(state));
    default:
      return unreachable(command);
  }
}

function create(
  command: Extract<ConnectionCommand, { type: 'CreateConnection' }>,
  state: ConnectionState,
): ConnectionEvent[] {
  if (state.status !== 'absent') {
    throw new DomainError(
      'connection_exists',
      'conflict',
      'Connection already exists',
    );
  }
  if (!command.baseUrl.startsWith('https://')) {
    throw invalid('baseUrl', 'an https:// URL');
  }
  checkCredentials(command.kind, command.credentials);

  const { type: _type, at, ...details } = command;
  return [
    {
      type: 'ConnectionCreated',
      data: {
        ...details,
        name: validName(command.name),
        projects: validProjects(command.projects),
        createdAt: at.toISOString(),
      },
    },
  ];
}

/** One event per changed part, all appended together. */
function change(
  command: ConnectionChange,
  state: ActiveState,
): ConnectionEvent[] {
  return [
    ...(command.name === undefined ? [] : rename(command.name, state)),
    ...(command.credentials === undefined
      ? []
      : replaceCredentials(command.credentials, command.at, state)),
    ...(command.caCertificate === undefined
      ? []
      : replaceCa(command.caCertificate, command.at, state)),
  ];
}

function rename(name: string, state: ActiveState): ConnectionEvent[] {
  const valid = validName(name);
  if (valid === state.name) return [];

  return [
    {
      type: 'ConnectionRenamed',
      data: { connectionId: state.connectionId, name: valid },
    },
  ];
}

function replaceCredentials(
  credentials: Credentials,
  at: Date,
  state: ActiveState,
): ConnectionEvent[] {
  checkCredentials(state.kind, credentials);

  return [
    {
      type: 'ConnectionCredentialsReplaced',
      data: {
        connectionId: state.connectionId,
        credentials,
        replacedAt: at.toISOString(),
      },
    },
  ];
}

function replaceCa(
  caCertificate: string | null,
  at: Date,
  state: ActiveState,
): ConnectionEvent[] {
  if (caCertificate === state.caCertificate) return [];

  return [
    {
      type: 'ConnectionCaReplaced',
      data: {
        connectionId: state.connectionId,
        caCertificate,
        replacedAt: at.toISOString(),
      },
    },
  ];
}

/** Disabling twice changes nothing. */
function disable(at: Date, state: ConnectionState): ConnectionEvent[] {
  if (state.status === 'disabled') return [];
  const connection = active(state);

  return [
    {
      type: 'ConnectionDisabled',
      data: {
        connectionId: connection.connectionId,
        disabledAt: at.toISOString(),
      },
    },
  ];
}

function rotateSecret(
  command: Extract<ConnectionCommand, { type: 'RotateWebhookSecret' }>,
  state: ActiveState,
): ConnectionEvent[] {
  const graceUntil = new Date(command.at.getTime() + command.graceMs);

  return [
    {
      type: 'WebhookSecretRotated',
      data: {
        connectionId: state.connectionId,
        webhookSecret: command.webhookSecret,
        previousSecret: state.webhookSecret,
        graceUntil: graceUntil.toISOString(),
        rotatedAt: command.at.toISOString(),
      },
    },
  ];
}

function evolve(
  state: ConnectionState,
  event: ConnectionEvent,
): ConnectionState {
  if (event.type === 'ConnectionCreated') {
    const { createdAt } = event.data;
    return {
      status: 'active',
      ...event.data,
      previousSecret: undefined,
      credentialsChangedAt: createdAt,
      caChangedAt: createdAt,
    };
  }
  if (state.status === 'absent') return state;

  return evolveExisting(state, event);
}

function evolveExisting(
  state: Exclude<ConnectionState, { status: 'absent' }>,
  event: Exclude<ConnectionEvent, { type: 'ConnectionCreated' }>,
): ConnectionState {
  switch (event.type) {
    case 'ConnectionRenamed':
      return { ...state, name: event.data.name };
    case 'ConnectionCredentialsReplaced':
      return {
        ...state,
        credentials: event.data.credentials,
        credentialsChangedAt: event.data.replacedAt,
      };
    case 'ConnectionCaReplaced':
      return {
        ...state,
        caCertificate: event.data.caCertificate,
        caChangedAt: event.data.replacedAt,
      };
    case 'ConnectionDisabled':
      return { ...state, status: 'disabled' };
    case 'WebhookSecretRotated':
      return {
        ...state,
        webhookSecret: event.data.webhookSecret,
        previousSecret: {
          secret: event.data.previousSecret,
          until: event.data.graceUntil,
        },
      };
    default:
      return unreachable(event);
  }
}

type ActiveState = Extract<ConnectionState, { status: 'active' }>;

/** A disabled connection is kept for its history, but changes no more. */
function active(state: ConnectionState): ActiveState {
  if (state.status === 'absent') {
    throw new DomainError(
      'connection_not_found',
      'not_found',
      'No such connection',
    );
  }
  if (state.status === 'disabled') {
    throw new DomainError(
      'connection_disabled',
      'conflict',
      'The connection is disabled',
    );
  }

  return state;
}

/** Throws DomainError `connection_invalid` for the other kind's shape. */
export function checkCredentials(
  kind: ConnectionKind,
  credentials: Credentials,
): void {
  const schema =
    kind === 'jira-cloud' ? cloudCredentialsSchema : serverCredentialsSchema;
  if (!schema.safeParse(credentials).success) {
    throw invalid(
      'credentials',
      kind === 'jira-cloud'
        ? '{ email, apiToken } for Jira Cloud'
        : '{ personalAccessToken } for Jira Server or Data Center',
    );
  }
}

function validName(name: string): string {
  const parsed = nameSchema.safeParse(name);
  if (!parsed.success) throw invalid('name', '1 to 200 characters');

  return parsed.data;
}

/** Upper-cased, sorted and without duplicates: Jira keys ignore case. */
function validProjects(projects: string[]): string[] {
  if (projects.length > 100) throw invalid('projects', 'at most 100 keys');
  const bad = projects.find((key) => !projectKeySchema.safeParse(key).success);
  if (bad !== undefined) throw invalid('projects', 'Jira project keys');

  return [...new Set(projects.map((key) => key.toUpperCase()))].sort();
}

function invalid(field: string, expected: string): DomainError {
  return new DomainError(
    'connection_invalid',
    'invalid',
    `Connection ${field} must be ${expected}`,
  );
}
