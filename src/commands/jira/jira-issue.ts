import { z } from 'zod';

/**
 * Jira's timestamps, `2019-02-15T19:01:52.971-0800`: local time with the
 * offset of the zone it was written in. Parsed exactly, to an ISO instant
 * in UTC; anything else is refused rather than guessed at.
 */
const jiraTimestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})$/;

export function parseJiraTimestamp(value: string): string | undefined {
  const match = jiraTimestampPattern.exec(value);
  if (!match) return undefined;

  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millis = (fraction ?? '0').padEnd(3, '0');
  const offset = zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const parsed = new Date(
    `${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`,
  );

  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

export const jiraTimestamp = z.string().transform((value, ctx) => {
  const parsed = parseJiraTimestamp(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: 'Not a Jira timestamp' });
    return z.NEVER;
  }

  return parsed;
});

const named = z.object({ id: z.string().min(1), name: z.string() });

/** Cloud names people by `accountId`; Server and Data Center by `key`. */
const personSchema = z
  .object({
    accountId: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    name: z.string().optional(),
    displayName: z.string().optional(),
  })
  .transform((person, ctx) => {
    const accountId = person.accountId ?? person.key ?? person.name;
    if (accountId === undefined) {
      ctx.addIssue({ code: 'custom', message: 'A person without an id' });
      return z.NEVER;
    }

    return { accountId, displayName: person.displayName ?? '' };
  });

export const jiraStatusSchema = named.extend({
  statusCategory: z.object({ key: z.string() }),
});

/** The fields analytics needs; search asks for these and no others. */
export const jiraIssueFields = [
  'summary',
  'status',
  'issuetype',
  'project',
  'created',
  'updated',
  'resolutiondate',
  'assignee',
  'priority',
  'parent',
] as const;

const issueFieldsSchema = z.object({
  summary: z.string().nullish(),
  status: jiraStatusSchema,
  issuetype: named,
  project: z.object({
    id: z.string().min(1),
    key: z.string().min(1),
    name: z.string().optional(),
  }),
  created: jiraTimestamp,
  updated: jiraTimestamp,
  resolutiondate: jiraTimestamp.nullish(),
  assignee: personSchema.nullish(),
  priority: named.nullish(),
  parent: z.object({ id: z.string(), key: z.string() }).nullish(),
});

/** One changed field of a history; `from` and `to` are status ids. */
export const changelogItemSchema = z.object({
  field: z.string(),
  fieldId: z.string().optional(),
  from: z.string().nullish(),
  fromString: z.string().nullish(),
  to: z.string().nullish(),
  toString: z.string().nullish(),
});

export const changelogHistorySchema = z.object({
  id: z.string().min(1),
  created: jiraTimestamp,
  items: z.array(changelogItemSchema),
});

/** The inline changelog of a search result; `total` tells if it is cut. */
export const inlineChangelogSchema = z.object({
  startAt: z.number().int().nonnegative().optional(),
  maxResults: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
  histories: z.array(changelogHistorySchema),
});

/**
 * An issue as the REST API returns it and as webhooks carry it. Unknown
 * fields are dropped.
 */
export const jiraIssueSchema = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  fields: issueFieldsSchema,
  changelog: inlineChangelogSchema.optional(),
});

export type JiraIssue = z.infer<typeof jiraIssueSchema>;

/**
 * The issue a webhook carries. Some deliveries (an assignment made
 * through the API, for one) leave out `created` and `updated`.
 */
export const webhookIssueSchema = jiraIssueSchema.extend({
  fields: issueFieldsSchema.extend({
    created: jiraTimestamp.optional(),
    updated: jiraTimestamp.optional(),
  }),
});

export type WebhookIssue = z.infer<typeof webhookIssueSchema>;

export type ChangelogHistory = z.infer<typeof changelogHistorySchema>;

export type ChangelogItem = z.infer<typeof changelogItemSchema>;
