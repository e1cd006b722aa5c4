import { z } from 'zod';

import { statusCategories } from '../../domain/work-item/work-item-events.js';
import type { StatusCategory } from '../../domain/work-item/work-item-events.js';
import {
  changelogHistorySchema,
  inlineChangelogSchema,
  jiraIssueSchema,
  jiraStatusSchema,
} from './jira-issue.js';

/**
 * `/myself`. Cloud names the account by `accountId`, Server and Data
 * Center by `key` (and, before 8.x, only by `name`).
 */
export const myselfSchema = z
  .object({
    accountId: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    displayName: z.string(),
    timeZone: z.string().optional(),
  })
  .refine(
    (account) =>
      (account.accountId ?? account.key ?? account.name) !== undefined,
    { message: 'An account without an id' },
  );

/** `/status`: every status of the site, with its category key. */
export const statusListSchema = z.array(jiraStatusSchema);

/** Jira's own keys; an unknown one is read as Jira's "no category". */
export function statusCategoryOf(key: string): StatusCategory {
  return (statusCategories as readonly string[]).includes(key)
    ? (key as StatusCategory)
    : 'undefined';
}

/** `POST /rest/api/3/search/jql`. */
export const cloudSearchPageSchema = z.object({
  issues: z.array(jiraIssueSchema),
  nextPageToken: z.string().min(1).nullish(),
  isLast: z.boolean().optional(),
});

/** `GET /rest/api/2/search`. */
export const serverSearchPageSchema = z.object({
  startAt: z.number().int().nonnegative(),
  maxResults: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative(),
  issues: z.array(jiraIssueSchema),
});

/** `GET /rest/api/3/issue/{id}/changelog`, Cloud only. */
export const changelogPageSchema = z.object({
  startAt: z.number().int().nonnegative(),
  maxResults: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
  isLast: z.boolean().optional(),
  values: z.array(changelogHistorySchema),
});

/** `GET /rest/api/2/issue/{id}?expand=changelog`, for Server. */
export const issueChangelogSchema = z.object({
  changelog: inlineChangelogSchema,
});
