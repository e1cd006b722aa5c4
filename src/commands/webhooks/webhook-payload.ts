import { z } from 'zod';

import { changelogItemSchema, webhookIssueSchema } from '../jira/jira-issue.js';

/** What every delivery has: what happened, and when Jira sent it. */
export const webhookEnvelopeSchema = z
  .looseObject({
    webhookEvent: z.string().min(1).max(200),
    issue_event_type_name: z.string().max(200).optional(),
    timestamp: z.number().int().positive().optional(),
  })
  .meta({
    id: 'JiraWebhook',
    description:
      'A Jira webhook body, as Jira Cloud and Jira Server send it. ' +
      'jira:issue_created, jira:issue_updated and jira:issue_deleted ' +
      'are recorded; other events are acknowledged and ignored.',
  });

/** A created or updated issue, with the changelog of that change. */
export const issueChangeSchema = z.object({
  webhookEvent: z.enum(['jira:issue_created', 'jira:issue_updated']),
  issue_event_type_name: z.string().optional(),
  timestamp: z.number().int().positive(),
  issue: webhookIssueSchema,
  changelog: z
    .object({ id: z.string().min(1), items: z.array(changelogItemSchema) })
    .optional(),
});

export const issueDeletionSchema = z.object({
  webhookEvent: z.literal('jira:issue_deleted'),
  timestamp: z.number().int().positive(),
  issue: z.object({ id: z.string().min(1) }),
});

export type IssueChange = z.infer<typeof issueChangeSchema>;

export type IssueDeletion = z.infer<typeof issueDeletionSchema>;

/** Comment deliveries arrive as issue updates; they move no status. */
const commentEventTypes = new Set([
  'issue_commented',
  'issue_comment_edited',
  'issue_comment_deleted',
]);

export type DeliveryKind = 'change' | 'deletion' | 'ignored';

/**
 * What a delivery is. An update without a changelog is a comment event
 * of an older Jira Server, which leaves `issue_event_type_name` out.
 */
export function deliveryKind(
  envelope: z.infer<typeof webhookEnvelopeSchema>,
): DeliveryKind {
  switch (envelope.webhookEvent) {
    case 'jira:issue_deleted':
      return 'deletion';
    case 'jira:issue_created':
      return 'change';
    case 'jira:issue_updated': {
      const type = envelope.issue_event_type_name;
      if (type !== undefined && commentEventTypes.has(type)) return 'ignored';
      return envelope['changelog'] === undefined ? 'ignored' : 'change';
    }
    default:
      return 'ignored';
  }
}
