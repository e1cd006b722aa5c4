import { expect } from 'chai';

import { jqlDate, syncJql } from '../../../src/commands/jira/sync-query.js';

describe('sync JQL', function () {
  it('asks for updates since the checkpoint less the overlap, by creation', function () {
    expect(
      syncJql({
        since: '2024-03-10T09:30:45.000Z',
        overlapMs: 5 * 60_000,
        timeZone: 'UTC',
        projects: [],
      }),
    ).to.equal('updated >= "2024/03/10 09:25" ORDER BY created ASC');
  });

  it('keeps to the included projects', function () {
    expect(
      syncJql({
        since: '2024-03-10T09:30:00.000Z',
        overlapMs: 0,
        timeZone: 'UTC',
        projects: ['KT', 'TES'],
      }),
    ).to.equal(
      'updated >= "2024/03/10 09:30" AND project in (KT, TES) ' +
        'ORDER BY created ASC',
    );
  });

  it('names a date even on the first sync, which Jira Cloud requires', function () {
    expect(
      syncJql({ since: null, overlapMs: 0, timeZone: 'UTC', projects: [] }),
    ).to.equal('updated >= "1970/01/01 00:00" ORDER BY created ASC');
  });

  it("writes the date in the Jira user's zone, to the minute, rounded down", function () {
    const instant = new Date('2024-03-10T09:30:45.000Z');

    expect(jqlDate(instant, 'America/Los_Angeles')).to.equal(
      '2024/03/10 01:30',
    );
    expect(jqlDate(instant, 'Asia/Kolkata')).to.equal('2024/03/10 15:00');
    expect(jqlDate(instant, 'UTC')).to.equal('2024/03/10 09:30');
  });

  it('reads back as far as any zone could, when the zone is unknown', function () {
    const instant = new Date('2024-03-10T09:30:45.000Z');

    // UTC-12:00 is the furthest behind: 21:30 the day before, in UTC.
    expect(jqlDate(instant, undefined)).to.equal('2024/03/09 21:30');
    expect(jqlDate(instant, 'Not/AZone')).to.equal('2024/03/09 21:30');
  });
});
