import {
  addYears,
  isoDateOf,
  parseCivilDay,
} from '../../domain/analytics/civil-day.js';
import type { CivilDay } from '../../domain/analytics/civil-day.js';
import {
  issueTypeIndexInput,
  issueTypeIndexPurpose,
  projectIndexInput,
  projectIndexPurpose,
} from '../../domain/work-item/work-item-indexes.js';
import type { ScopeFilter } from '../../projections/analytics/analytics-documents.js';
import type { AnalyticsView } from '../../projections/analytics/flow-analytics.js';
import type { DayRange } from '../../projections/analytics/flow-series.js';
import { RequestValidationError } from '../api-errors.js';
import type { AnalyticsQuery } from './analytics-schemas.js';
import type { AnalyticsServices } from './analytics-services.js';

/** The longest range a query may ask for, in calendar years. */
export const maxRangeYears = 2;

/** A range of 90 days, ending today, unless the query says otherwise. */
const defaultRangeDays = 90;

export interface AnalyticsRequest {
  view: AnalyticsView;
  filter: ScopeFilter;
  range: DayRange;
  /** The range as the answer states it. */
  described: { from: string; to: string; timeZone: string };
}

/**
 * The tenant's view, and the query's range and filters in the terms of
 * the read models: days in the tenant's zone, project and issue type as
 * blind indexes. Throws RequestValidationError for a range that runs
 * backwards or spans more than two years.
 */
export async function analyticsRequest(
  services: AnalyticsServices,
  tenantId: string,
  query: AnalyticsQuery,
): Promise<AnalyticsRequest> {
  const view = await services.queries.view(tenantId);
  const range = rangeOf(query, view.calendar.dayOf(services.now().getTime()));

  return {
    view,
    filter: await filterOf(services, tenantId, query),
    range,
    described: {
      from: isoDateOf(range.from),
      to: isoDateOf(range.to),
      timeZone: view.calendar.timeZone,
    },
  };
}

function rangeOf(query: AnalyticsQuery, today: CivilDay): DayRange {
  const to = query.to === undefined ? today : parseCivilDay(query.to)!;
  const from =
    query.from === undefined
      ? to - (defaultRangeDays - 1)
      : parseCivilDay(query.from)!;

  if (from > to) {
    throw new RequestValidationError([
      { path: 'query.from', message: 'from must not be after to' },
    ]);
  }
  const limit = addYears(from, maxRangeYears);
  if (to >= limit) {
    throw new RequestValidationError([
      {
        path: 'query.to',
        message:
          `A range spans at most ${maxRangeYears} years: ` +
          `to must be before ${isoDateOf(limit)}`,
      },
    ]);
  }

  return { from, to };
}

async function filterOf(
  services: AnalyticsServices,
  tenantId: string,
  query: AnalyticsQuery,
): Promise<ScopeFilter> {
  const index = (purpose: string, value: string) =>
    services.blindIndex.ofTenantValue(tenantId, purpose, value);

  return {
    ...(query.connection !== undefined && { connectionId: query.connection }),
    ...(query.project !== undefined && {
      projectIndex: await index(
        projectIndexPurpose,
        projectIndexInput(query.project),
      ),
    }),
    ...(query.issueType !== undefined && {
      issueTypeIndex: await index(
        issueTypeIndexPurpose,
        issueTypeIndexInput(query.issueType),
      ),
    }),
  };
}
