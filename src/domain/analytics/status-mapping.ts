import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import type {
  StatusMappingEvent,
  StatusRule,
} from './status-mapping-events.js';

export type StatusMappingCommand = {
  type: 'SetStatusMapping';
  statuses: StatusRule[];
};

export interface StatusMappingState {
  statuses: StatusRule[];
}

/** More rules than any workflow has statuses. */
export const maxStatusRules = 200;
export const maxStatusNameLength = 255;

/**
 * How a status name is compared: Jira refuses two statuses whose names
 * differ only in case, so neither does the mapping tell them apart.
 */
export function statusNameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/**
 * A tenant's mapping of status names to stages. Setting the mapping it
 * already has records nothing, so nothing is recomputed.
 */
export const statusMappingDecider: Decider<
  StatusMappingState,
  StatusMappingCommand,
  StatusMappingEvent
> = {
  initialState: () => ({ statuses: [] }),
  evolve: (_state, event) => ({ statuses: event.data.statuses }),
  decide,
};

function decide(
  command: StatusMappingCommand,
  state: StatusMappingState,
): StatusMappingEvent[] {
  switch (command.type) {
    case 'SetStatusMapping':
      return setMapping(command.statuses, state);
    default:
      return unreachable(command.type);
  }
}

function setMapping(
  rules: StatusRule[],
  state: StatusMappingState,
): StatusMappingEvent[] {
  const statuses = validRules(rules);
  if (JSON.stringify(statuses) === JSON.stringify(state.statuses)) return [];

  return [{ type: 'StatusMappingSet', data: { statuses } }];
}

/** Trimmed, checked, and in one order, so equal mappings compare equal. */
function validRules(rules: StatusRule[]): StatusRule[] {
  if (rules.length > maxStatusRules) {
    throw invalid(`A mapping holds at most ${maxStatusRules} statuses`);
  }

  const seen = new Set<string>();
  const valid = rules.map((rule) => {
    const status = rule.status.normalize('NFC').trim();
    if (status === '' || status.length > maxStatusNameLength) {
      throw invalid(`Status names have 1 to ${maxStatusNameLength} characters`);
    }
    if (seen.has(statusNameKey(status))) {
      throw invalid(`The status ${status} is mapped twice`);
    }
    if (rule.excludeFromThroughput && rule.stage !== 'done') {
      throw invalid(
        `Only a done status can be excluded from throughput: ${status}`,
      );
    }
    seen.add(statusNameKey(status));

    return { ...rule, status };
  });

  // Code-unit order, not a locale's: the same on every runtime.
  return valid.sort((a, b) =>
    statusNameKey(a.status) < statusNameKey(b.status) ? -1 : 1,
  );
}

function invalid(message: string): DomainError {
  return new DomainError('status_mapping_invalid', 'invalid', message);
}
