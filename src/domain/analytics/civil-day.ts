/**
 * A calendar date with no time zone, as the number of days since
 * 1970-01-01. Days and weeks of the analytics are civil days in the
 * tenant's time zone; arithmetic on them needs no zone at all.
 */
export type CivilDay = number;

const dayMs = 86_400_000;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2024-05-31` to its civil day; undefined for anything else. */
export function parseCivilDay(text: string): CivilDay | undefined {
  const match = isoDatePattern.exec(text);
  if (!match) return undefined;

  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March; such a date does not exist.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }

  return ms / dayMs;
}

export function isoDateOf(day: CivilDay): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** The civil day of a local wall-clock time given in UTC milliseconds. */
export function civilDayOfWallTime(wallMs: number): CivilDay {
  return Math.floor(wallMs / dayMs);
}

/** The Monday of the week the day is in: weeks start on Monday. */
export function mondayOf(day: CivilDay): CivilDay {
  // 1970-01-01 was a Thursday.
  const sinceMonday = (((day + 3) % 7) + 7) % 7;

  return day - sinceMonday;
}

/** Months and days of month already worked out, by civil day. */
const calendarDates = new Map<CivilDay, [month: number, dayOfMonth: number]>();

function calendarDate(day: CivilDay): [number, number] {
  let known = calendarDates.get(day);
  if (!known) {
    const date = new Date(day * dayMs);
    known = [
      date.getUTCFullYear() * 100 + date.getUTCMonth() + 1,
      date.getUTCDate(),
    ];
    // A few centuries of days at most; beyond that, start afresh.
    if (calendarDates.size > 100_000) calendarDates.clear();
    calendarDates.set(day, known);
  }

  return known;
}

/** `yyyymm`, a sortable number naming the day's month. */
export function monthNumberOf(day: CivilDay): number {
  return calendarDate(day)[0];
}

/** The day of the month, 1 to 31. */
export function dayOfMonth(day: CivilDay): number {
  return calendarDate(day)[1];
}

/** The civil day that is the given day of the given `yyyymm` month. */
export function civilDayIn(monthNumber: number, dayOfTheMonth: number) {
  const year = Math.floor(monthNumber / 100);
  const month = monthNumber % 100;

  return Date.UTC(year, month - 1, dayOfTheMonth) / dayMs;
}

/** The same day so many calendar years later; 29 February becomes 1 March. */
export function addYears(day: CivilDay, years: number): CivilDay {
  const date = new Date(day * dayMs);
  date.setUTCFullYear(date.getUTCFullYear() + years);

  return date.getTime() / dayMs;
}
