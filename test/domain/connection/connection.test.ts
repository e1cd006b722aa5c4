import { connectionDecider } from '../../../src/domain/connection/connection.js';
import type { ConnectionEvent } from '../../../src/domain/connection/connection-events.js';
import { DomainError } from '../../../src/domain/domain-error.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(connectionDecider);

const at = new Date('2026-12-04T10:00:00.000Z');

const create = {
  type: 'CreateConnection' as const,
  connectionId: 'c-1',
  tenantId: 't-1',
  kind: 'jira-cloud' as const,
  name: ' Acme Jira ',
  baseUrl: 'https://acme.atlassian.net',
  credentials: { email: 'jira-admin@acme.example', apiToken: 'token-1' },
  caCertificate: null,
  projects: ['tes', 'KT', 'TES'],
  webhookSecret: 'secret-1',
  at,
};

const created: ConnectionEvent = {
  type: 'ConnectionCreated',
  data: {
    connectionId: 'c-1',
    tenantId: 't-1',
    kind: 'jira-cloud',
    name: 'Acme Jira',
    baseUrl: 'https://acme.atlassian.net',
    credentials: create.credentials,
    caCertificate: null,
    projects: ['KT', 'TES'],
    webhookSecret: 'secret-1',
    createdAt: at.toISOString(),
  },
};

const disabled: ConnectionEvent = {
  type: 'ConnectionDisabled',
  data: { connectionId: 'c-1', disabledAt: at.toISOString() },
};

describe('connection decider', function () {
  it('creates a connection with a trimmed name and upper-case projects', function () {
    spec.given([]).when(create).then([created]);
  });

  it('refuses a second creation, and a URL that is not https', function () {
    spec
      .given([created])
      .when(create)
      .thenThrows(DomainError, 'connection_exists');
    spec
      .given([])
      .when({ ...create, baseUrl: 'http://acme.example' })
      .thenThrows(DomainError, 'connection_invalid');
  });

  it('refuses credentials of the other kind of Jira', function () {
    spec
      .given([])
      .when({ ...create, credentials: { personalAccessToken: 'pat' } })
      .thenThrows(DomainError, 'connection_invalid');
    spec
      .given([])
      .when({
        ...create,
        kind: 'jira-server',
        credentials: create.credentials,
      })
      .thenThrows(DomainError, 'connection_invalid');
  });

  it('refuses project keys Jira would not have', function () {
    spec
      .given([])
      .when({ ...create, projects: ['TES', 'no spaces'] })
      .thenThrows(DomainError, 'connection_invalid');
  });

  it('changes a name, credentials and CA together, one event each', function () {
    const credentials = { email: 'new@acme.example', apiToken: 'token-2' };

    spec
      .given([created])
      .when({
        type: 'ChangeConnection',
        name: 'Acme Cloud',
        credentials,
        caCertificate: 'PEM',
        at,
      })
      .then([
        {
          type: 'ConnectionRenamed',
          data: { connectionId: 'c-1', name: 'Acme Cloud' },
        },
        {
          type: 'ConnectionCredentialsReplaced',
          data: {
            connectionId: 'c-1',
            credentials,
            replacedAt: at.toISOString(),
          },
        },
        {
          type: 'ConnectionCaReplaced',
          data: {
            connectionId: 'c-1',
            caCertificate: 'PEM',
            replacedAt: at.toISOString(),
          },
        },
      ]);
  });

  it('changes nothing for the same name or the same CA', function () {
    spec
      .given([created])
      .when({
        type: 'ChangeConnection',
        name: 'Acme Jira',
        caCertificate: null,
        at,
      })
      .then([]);
  });

  it('keeps the old webhook secret for the grace period', function () {
    spec
      .given([created])
      .when({
        type: 'RotateWebhookSecret',
        webhookSecret: 'secret-2',
        graceMs: 60_000,
        at,
      })
      .then([
        {
          type: 'WebhookSecretRotated',
          data: {
            connectionId: 'c-1',
            webhookSecret: 'secret-2',
            previousSecret: 'secret-1',
            graceUntil: '2026-12-04T10:01:00.000Z',
            rotatedAt: at.toISOString(),
          },
        },
      ]);
  });

  it('disables once, then refuses changes', function () {
    spec
      .given([created])
      .when({ type: 'DisableConnection', at })
      .then([disabled]);
    spec
      .given([created, disabled])
      .when({ type: 'DisableConnection', at })
      .then([]);
    spec
      .given([created, disabled])
      .when({ type: 'ChangeConnection', name: 'Other', at })
      .thenThrows(DomainError, 'connection_disabled');
  });

  it('answers not found for a connection that does not exist', function () {
    spec
      .given([])
      .when({ type: 'DisableConnection', at })
      .thenThrows(DomainError, 'connection_not_found');
  });
});
