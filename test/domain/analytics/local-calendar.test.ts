import { expect } from 'chai';

import {
  addYears,
  isoDateOf,
  mondayOf,
  parseCivilDay,
} from '../../../src/domain/analytics/civil-day.js';
import { LocalCalendar } from '../../../src/domain/analytics/local-calendar.js';

/** The local date Intl gives, asked about each instant on its own. */
function intlDates(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });

  return (ms) => format.format(ms);
}

describe('LocalCalendar', function () {
  const zones = [
    'UTC',
    'America/New_York',
    'Europe/Helsinki',
    'Asia/Kolkata',
    // Half an hour of daylight saving time, changed at 02:00 local.
    'Australia/Lord_Howe',
    // Changed clocks at midnight: the day began at 01:00 on 2018-11-04.
    'America/Sao_Paulo',
  ];

  it('gives every instant of the days the clocks change the date Intl gives', function () {
    const nights = [
      Date.UTC(2024, 2, 10),
      Date.UTC(2024, 10, 3),
      Date.UTC(2024, 2, 31),
      Date.UTC(2024, 9, 27),
      Date.UTC(2024, 3, 7),
      Date.UTC(2024, 9, 6),
      Date.UTC(2018, 10, 4),
      Date.UTC(2019, 1, 17),
    ];

    for (const timeZone of zones) {
      const calendar = new LocalCalendar(timeZone);
      const intlDate = intlDates(timeZone);
      for (const night of nights) {
        for (
          let ms = night - 86_400_000;
          ms < night + 2 * 86_400_000;
          ms += 60_000 * 13
        ) {
          expect(
            isoDateOf(calendar.dayOf(ms)),
            `${timeZone} ${new Date(ms).toISOString()}`,
          ).to.equal(intlDate(ms));
        }
      }
    }
  });

  it('starts New York days at its midnight on both sides of the change', function () {
    const calendar = new LocalCalendar('America/New_York');

    // 04:59:59.999Z is 23:59 EST on 9 March; 04:00Z is midnight EDT on 11 March.
    expect(
      isoDateOf(calendar.dayOf(Date.parse('2024-03-10T04:59:59.999Z'))),
    ).to.equal('2024-03-09');
    expect(
      isoDateOf(calendar.dayOf(Date.parse('2024-03-10T05:00:00.000Z'))),
    ).to.equal('2024-03-10');
    expect(
      isoDateOf(calendar.dayOf(Date.parse('2024-03-11T03:59:59.999Z'))),
    ).to.equal('2024-03-10');
    expect(
      isoDateOf(calendar.dayOf(Date.parse('2024-03-11T04:00:00.000Z'))),
    ).to.equal('2024-03-11');
  });
});

describe('civil days', function () {
  it('parses dates and refuses ones that do not exist', function () {
    expect(isoDateOf(parseCivilDay('2024-02-29')!)).to.equal('2024-02-29');
    expect(parseCivilDay('2023-02-29')).to.equal(undefined);
    expect(parseCivilDay('2024-13-01')).to.equal(undefined);
    expect(parseCivilDay('2024-1-01')).to.equal(undefined);
    expect(parseCivilDay('yesterday')).to.equal(undefined);
  });

  it('starts weeks on Monday', function () {
    // 2024-03-10 was a Sunday; 2024-03-11 a Monday.
    expect(isoDateOf(mondayOf(parseCivilDay('2024-03-10')!))).to.equal(
      '2024-03-04',
    );
    expect(isoDateOf(mondayOf(parseCivilDay('2024-03-11')!))).to.equal(
      '2024-03-11',
    );
    expect(isoDateOf(mondayOf(parseCivilDay('1969-12-31')!))).to.equal(
      '1969-12-29',
    );
  });

  it('adds calendar years', function () {
    expect(isoDateOf(addYears(parseCivilDay('2024-01-15')!, 2))).to.equal(
      '2026-01-15',
    );
    expect(isoDateOf(addYears(parseCivilDay('2024-02-29')!, 2))).to.equal(
      '2026-03-01',
    );
  });
});
