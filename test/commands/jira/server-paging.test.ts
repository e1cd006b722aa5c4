import { expect } from 'chai';

import type { JiraIssue } from '../../../src/commands/jira/jira-issue.js';
import type { ServerCursor } from '../../../src/commands/jira/search-cursor.js';
import {
  ordersByCreatedAscending,
  readServerWindow,
} from '../../../src/commands/jira/server-paging.js';

function issue(id: string, minute: number): JiraIssue {
  const created = `2026-03-01T08:${String(minute).padStart(2, '0')}:00.000Z`;

  return {
    id,
    key: `A-${id}`,
    fields: {
      summary: null,
      status: { id: '1', name: 'To Do', statusCategory: { key: 'new' } },
      issuetype: { id: '1', name: 'Story' },
      project: { id: '1', key: 'A' },
      created,
      updated: created,
    },
  };
}

const start: ServerCursor = {
  kind: 'server',
  startAt: 0,
  pageSize: 4,
  overlapping: false,
  idsAtLastCreated: [],
};
const ordered = { overlap: 2, orderedByCreated: true };

describe('Server paging', function () {
  it('recognises the order sync asks for', function () {
    expect(
      ordersByCreatedAscending(
        'updated >= "2026/01/01 00:00" ORDER BY created ASC',
      ),
    ).to.equal(true);
    expect(
      ordersByCreatedAscending('project = A order by  created asc '),
    ).to.equal(true);
    expect(ordersByCreatedAscending('ORDER BY created DESC')).to.equal(false);
    expect(ordersByCreatedAscending('ORDER BY updated ASC')).to.equal(false);
  });

  it('asks the next page to overlap, remembering the last created time', function () {
    const window = {
      startAt: 0,
      total: 10,
      issues: [issue('1', 1), issue('2', 2), issue('3', 3), issue('4', 3)],
    };

    const reading = readServerWindow(start, window, ordered);

    expect(reading).to.deep.equal({
      kind: 'page',
      issues: window.issues,
      next: {
        kind: 'server',
        startAt: 2,
        pageSize: 4,
        overlapping: true,
        lastCreated: '2026-03-01T08:03:00.000Z',
        idsAtLastCreated: ['3', '4'],
      },
    });
  });

  it('drops what was returned, and keeps a new issue at the last created time', function () {
    const cursor: ServerCursor = {
      ...start,
      startAt: 2,
      overlapping: true,
      lastCreated: '2026-03-01T08:03:00.000Z',
      idsAtLastCreated: ['3', '4'],
    };
    const window = {
      startAt: 2,
      total: 10,
      issues: [issue('2', 2), issue('4', 3), issue('9', 3), issue('5', 4)],
    };

    const reading = readServerWindow(cursor, window, ordered);

    expect(
      reading.kind === 'page' && reading.issues.map((i) => i.id),
    ).to.deep.equal(['9', '5']);
  });

  it('steps back when the page starts past what was returned', function () {
    const cursor: ServerCursor = {
      ...start,
      startAt: 6,
      overlapping: true,
      lastCreated: '2026-03-01T08:03:00.000Z',
      idsAtLastCreated: ['3'],
    };

    const shifted = readServerWindow(
      cursor,
      { startAt: 6, total: 8, issues: [issue('7', 7), issue('8', 8)] },
      ordered,
    );
    const emptied = readServerWindow(
      cursor,
      { startAt: 6, total: 4, issues: [] },
      ordered,
    );

    expect(shifted).to.deep.equal({ kind: 'step_back', startAt: 2 });
    expect(emptied).to.deep.equal({ kind: 'step_back', startAt: 2 });
  });

  it('moves on past a page of one issue, which cannot overlap', function () {
    const reading = readServerWindow(
      { ...start, pageSize: 1 },
      { startAt: 0, total: 3, issues: [issue('1', 1)] },
      ordered,
    );

    expect(reading.kind === 'page' && reading.next).to.include({
      startAt: 1,
      overlapping: false,
    });
  });

  it('follows the offsets as given under another order', function () {
    const window = {
      startAt: 0,
      total: 6,
      issues: [issue('5', 5), issue('1', 1)],
    };

    const reading = readServerWindow(start, window, {
      overlap: 2,
      orderedByCreated: false,
    });

    expect(reading).to.deep.equal({
      kind: 'page',
      issues: window.issues,
      next: { ...start, startAt: 2 },
    });
  });

  it('ends at the last page', function () {
    const reading = readServerWindow(
      start,
      { startAt: 0, total: 2, issues: [issue('1', 1), issue('2', 2)] },
      ordered,
    );

    expect(reading.kind === 'page' && reading.next).to.equal(undefined);
  });
});
