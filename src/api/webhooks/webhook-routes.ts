import { z } from 'zod';

import { signatureMatches } from '../../commands/webhooks/webhook-signature.js';
import {
  deliveryKind,
  issueChangeSchema,
  issueDeletionSchema,
  webhookEnvelopeSchema,
} from '../../commands/webhooks/webhook-payload.js';
import type {
  DeliveryOutcome,
  WebhookDelivery,
  WebhookIngestion,
} from '../../commands/webhooks/webhook-ingestion.js';
import { DomainError } from '../../domain/domain-error.js';
import type { ConnectionDirectory } from '../../projections/connections/connection-directory.js';
import type { WebhookSecretDocument } from '../../projections/connections/webhook-secret-documents.js';
import { InvalidSignatureError } from '../api-errors.js';
import { apiState } from '../api-state.js';
import { validPart } from '../request-input.js';
import { defineRoute } from '../route-definition.js';
import type { RouteDefinition } from '../route-definition.js';

export interface WebhookRouteSettings {
  directory: ConnectionDirectory;
  ingestion: WebhookIngestion;
  bodyLimitBytes: number;
  now?: () => Date;
}

const acceptedSchema = z
  .object({ outcome: z.enum(['recorded', 'duplicate', 'ignored']) })
  .meta({ id: 'WebhookAccepted' });

/** Unknown connections cost what known ones do: an HMAC of the body. */
const decoySecret = 'no connection has this secret';

/**
 * Where Jira sends webhooks. Jira cannot sign in, so the route is public
 * and guarded instead: by the connection's secret over the exact bytes,
 * before the body is parsed, then by its schema.
 */
export function webhookRoutes(
  settings: WebhookRouteSettings,
): RouteDefinition[] {
  const now = settings.now ?? (() => new Date());

  return [
    defineRoute({
      method: 'post',
      path: '/v1/webhooks/jira/:connectionId',
      operationId: 'receiveJiraWebhook',
      summary: 'Receive a Jira webhook delivery',
      description:
        'Signed with X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw ' +
        "body> under the connection's webhook secret. 202 means the " +
        "delivery's facts are durably stored. Deliveries are deduplicated " +
        'by X-Atlassian-Webhook-Identifier for 48 hours.',
      tags: ['webhooks'],
      access: 'public',
      request: {
        params: z.strictObject({ connectionId: z.uuid() }),
        body: webhookEnvelopeSchema,
        bodyLimitBytes: settings.bodyLimitBytes,
        deferBodyParsing: true,
        externalBody: true,
      },
      responses: {
        202: { description: 'Accepted', schema: acceptedSchema },
      },
      errors: [401, 404],
      handle: async ({ params, rawBody, parseBody, ctx }) => {
        const connection = await settings.directory.webhookSecrets(
          params.connectionId,
        );
        const usable = connection?.status === 'active' ? connection : undefined;
        const valid = signatureMatches(
          ctx.get('X-Hub-Signature') || undefined,
          rawBody ?? Buffer.alloc(0),
          usable ? secretsOf(usable, now()) : [decoySecret],
        );
        if (!usable) throw notFound();
        if (!valid) throw new InvalidSignatureError();

        const delivery: WebhookDelivery = {
          tenantId: usable.tenantId,
          connectionId: usable._id,
          deliveryId: ctx.get('X-Atlassian-Webhook-Identifier') || undefined,
          requestId: apiState(ctx).requestId,
        };
        const outcome = await ingest(settings.ingestion, delivery, parseBody());

        return { status: 202, body: { outcome } };
      },
    }),
  ];
}

function ingest(
  ingestion: WebhookIngestion,
  delivery: WebhookDelivery,
  body: z.infer<typeof webhookEnvelopeSchema>,
): Promise<DeliveryOutcome> {
  switch (deliveryKind(body)) {
    case 'change':
      return ingestion.change(
        delivery,
        validPart('body', issueChangeSchema, body),
      );
    case 'deletion':
      return ingestion.deletion(
        delivery,
        validPart('body', issueDeletionSchema, body),
      );
    case 'ignored':
      return ingestion.ignored(delivery, body.webhookEvent);
  }
}

/** The current secret, and the one before it while its grace lasts. */
function secretsOf(connection: WebhookSecretDocument, now: Date): string[] {
  const { current, previous } = connection.secrets;
  const previousHolds =
    previous !== null &&
    connection.previousUntil !== null &&
    Date.parse(connection.previousUntil) > +now;

  return previousHolds ? [current, previous] : [current];
}

function notFound(): DomainError {
  return new DomainError(
    'connection_not_found',
    'not_found',
    'No such connection',
  );
}
