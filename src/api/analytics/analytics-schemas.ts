import { z } from 'zod';

import { parseCivilDay } from '../../domain/analytics/civil-day.js';
import { stages } from '../../domain/analytics/stage.js';
import {
  maxStatusNameLength,
  maxStatusRules,
} from '../../domain/analytics/status-mapping.js';

export const nearestRankNote =
  'Percentiles use the nearest-rank method: the value at rank ceil(p × n) ' +
  'of the n values sorted ascending, ranks counting from 1. Durations are ' +
  'in days, as decimal numbers.';

const localDate = z
  .string()
  .refine((text) => parseCivilDay(text) !== undefined, {
    message: 'Expected a date as YYYY-MM-DD',
  })
  .meta({ description: 'A date, YYYY-MM-DD, in the tenant time zone' });

const filterFields = {
  from: localDate.optional().meta({
    description: 'First day, included; 89 days before `to` by default',
  }),
  to: localDate
    .optional()
    .meta({ description: 'Last day, included; today by default' }),
  connection: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Only items of this connection (its id)' }),
  project: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'Only items of this project key' }),
  issueType: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'Only items of this issue type name' }),
};

export const analyticsQuerySchema = z.strictObject(filterFields);

export const seriesQuerySchema = z.strictObject({
  ...filterFields,
  interval: z
    .enum(['day', 'week'])
    .default('day')
    .meta({ description: 'Weeks run Monday to Sunday' }),
});

export type AnalyticsQuery = z.output<typeof analyticsQuerySchema>;

const rangeFields = {
  from: z.string().meta({ description: 'The first day of the range' }),
  to: z.string().meta({ description: 'The last day of the range' }),
  timeZone: z.string().meta({ description: 'The zone the days are in' }),
};

const seriesOf = (point: z.ZodObject, id: string) =>
  z
    .object({
      ...rangeFields,
      interval: z.enum(['day', 'week']),
      series: z.array(point).meta({
        description:
          'One point per interval; empty when every value would be zero',
      }),
    })
    .meta({ id });

const start = z
  .string()
  .meta({ description: 'The first day of the interval, YYYY-MM-DD' });

export const throughputSchema = seriesOf(
  z.object({ start, count: z.number().int() }),
  'Throughput',
);

export const createdVsResolvedSchema = seriesOf(
  z.object({
    start,
    created: z.number().int(),
    resolved: z.number().int(),
  }),
  'CreatedVsResolved',
);

export const wipSchema = seriesOf(
  z.object({
    start,
    count: z
      .number()
      .int()
      .meta({ description: 'Items in progress at the end of the interval' }),
  }),
  'WorkInProgress',
);

export const cfdSchema = seriesOf(
  z.object({
    start,
    todo: z.number().int(),
    in_progress: z.number().int(),
    done: z.number().int(),
  }),
  'CumulativeFlow',
);

const days = z.number().nullable();

export const durationSchema = z
  .object({
    ...rangeFields,
    count: z.number().int(),
    mean: days,
    p50: days,
    p75: days,
    p85: days,
    p95: days,
    points: z
      .array(
        z.object({
          key: z.string(),
          finishedAt: z.iso.datetime(),
          days: z.number(),
        }),
      )
      .meta({ description: 'The latest finished items, oldest first' }),
    pointsTruncated: z.boolean().meta({
      description: 'More items finished in the range than points holds',
    }),
  })
  .meta({ id: 'DurationDistribution', description: nearestRankNote });

export const timeInStatusSchema = z
  .object({
    ...rangeFields,
    statuses: z.array(
      z.object({
        status: z.string(),
        stage: z.enum(stages),
        items: z
          .number()
          .int()
          .meta({ description: 'Items finished in range that were in it' }),
        meanDays: days,
        p50Days: days,
        p85Days: days,
      }),
    ),
  })
  .meta({ id: 'TimeInStatus', description: nearestRankNote });

export const agingSchema = z
  .object({
    ...rangeFields,
    items: z.array(
      z.object({
        key: z.string(),
        status: z.string(),
        startedAt: z.iso.datetime(),
        ageDays: z.number(),
      }),
    ),
    itemsTruncated: z
      .boolean()
      .meta({ description: 'More items are in progress than items holds' }),
    p50: days.meta({ description: 'Cycle time of items finished in range' }),
    p85: days.meta({ description: 'Cycle time of items finished in range' }),
  })
  .meta({ id: 'Aging', description: nearestRankNote });

const statusRuleSchema = z.strictObject({
  status: z
    .string()
    .min(1)
    .max(maxStatusNameLength)
    .meta({ description: 'A status name; case does not matter' }),
  stage: z.enum(stages),
  excludeFromThroughput: z.boolean().default(false).meta({
    description: 'Only for done: finished items here are not throughput',
  }),
});

export const statusMappingBodySchema = z
  .strictObject({
    statuses: z.array(statusRuleSchema).max(maxStatusRules).meta({
      description:
        'The whole mapping; a status left out takes its stage from Jira',
    }),
  })
  .meta({ id: 'StatusMappingChange' });

export const recomputationSchema = z
  .object({
    state: z.enum(['idle', 'pending', 'running', 'done']),
    generation: z.number().int(),
    eventsDone: z.number().int(),
    eventsTotal: z.number().int(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({
    id: 'Recomputation',
    description:
      'The recomputation of the analytics after the last change of ' +
      'settings: the tenant events replayed from the log, of all there are',
  });

export const statusMappingSchema = z
  .object({
    statuses: z.array(
      z.object({
        status: z.string(),
        stage: z.enum(stages),
        excludeFromThroughput: z.boolean(),
      }),
    ),
    recomputation: recomputationSchema,
  })
  .meta({ id: 'StatusMapping' });

export const accountSettingsBodySchema = z
  .strictObject({
    timeZone: z.string().min(1).max(64).meta({
      description: 'An IANA time zone, such as Europe/Helsinki; UTC at first',
    }),
  })
  .meta({ id: 'AccountSettingsChange' });

export const accountSettingsSchema = z
  .object({ timeZone: z.string(), recomputation: recomputationSchema })
  .meta({ id: 'AccountSettings' });
