import { parseArgs } from 'node:util';

import type { JiraKind } from '../../test/doubles/jira/issue-rendering.js';
import { positiveInteger } from '../api/api-settings.js';

export interface SyncSettings {
  kind: JiraKind;
  issues: number;
  /** Status changes of each issue. */
  histories: number;
  /** Every n-th issue has a changelog past the inline cut. */
  longEvery: number;
  longHistories: number;
  rounds: number;
}

function kindOf(text: string): JiraKind {
  if (text === 'jira-cloud' || text === 'jira-server') return text;

  throw new Error(`--kind must be jira-cloud or jira-server: ${text}`);
}

/** The defaults keep the whole run at about a minute and a half. */
export function readSyncSettings(): SyncSettings {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'jira-cloud' },
      issues: { type: 'string', default: '10000' },
      histories: { type: 'string', default: '12' },
      'long-every': { type: 'string', default: '100' },
      'long-histories': { type: 'string', default: '150' },
      rounds: { type: 'string', default: '3' },
    },
  });

  return {
    kind: kindOf(values.kind),
    issues: positiveInteger('issues', values.issues),
    histories: positiveInteger('histories', values.histories),
    longEvery: positiveInteger('long-every', values['long-every']),
    longHistories: positiveInteger('long-histories', values['long-histories']),
    rounds: positiveInteger('rounds', values.rounds),
  };
}
