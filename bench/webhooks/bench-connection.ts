import type { JiraDouble } from '../../test/doubles/jira/jira-double.js';
import type { ServiceUnderTest } from '../api/service-under-test.js';
import type { DeliveryMaker } from './deliveries.js';

export interface BenchConnection {
  /** Where its deliveries go. */
  url: string;
  secret: string;
}

/**
 * A Jira connection made as an admin makes one, through the API, to the
 * double in the bench process: the service tries it before it keeps it.
 */
export async function createBenchConnection(
  service: ServiceUnderTest,
  jira: JiraDouble,
): Promise<BenchConnection> {
  const response = await fetch(`${service.server.url}/v1/connections`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${service.token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      kind: jira.kind,
      name: 'Bench Jira',
      baseUrl: jira.baseUrl,
      credentials: jira.credentials,
      caCertificate: jira.caCertificate,
    }),
  });
  const body = (await response.json()) as {
    id?: string;
    webhook?: { secret?: string };
  };
  if (response.status !== 201 || !body.id || !body.webhook?.secret) {
    throw new Error(`bench connection: ${response.status}`);
  }

  return {
    url: `${service.server.url}/v1/webhooks/jira/${body.id}`,
    secret: body.webhook.secret,
  };
}

/** The connection's read model may still be catching up on its creation. */
export async function firstAcceptedDelivery(
  connection: BenchConnection,
  deliveries: DeliveryMaker,
): Promise<void> {
  const deadline = Date.now() + 15_000;

  for (;;) {
    const { headers, body } = deliveries.next();
    const response = await fetch(connection.url, {
      method: 'POST',
      headers,
      body,
    });
    await response.arrayBuffer();
    if (response.status === 202) return;
    if (Date.now() > deadline) {
      throw new Error(`bench delivery: ${response.status}`);
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
