import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import type { TenantSettingsEvent } from './tenant-settings-events.js';
import { canonicalTimeZone, defaultTimeZone } from './time-zone.js';

export type TenantSettingsCommand = { type: 'SetTimeZone'; timeZone: string };

export interface TenantSettingsState {
  timeZone: string;
}

/** A tenant's settings; setting what is already set records nothing. */
export const tenantSettingsDecider: Decider<
  TenantSettingsState,
  TenantSettingsCommand,
  TenantSettingsEvent
> = {
  initialState: () => ({ timeZone: defaultTimeZone }),
  evolve,
  decide,
};

function decide(
  command: TenantSettingsCommand,
  state: TenantSettingsState,
): TenantSettingsEvent[] {
  switch (command.type) {
    case 'SetTimeZone':
      return setTimeZone(command.timeZone, state);
    default:
      return unreachable(command.type);
  }
}

function setTimeZone(
  name: string,
  state: TenantSettingsState,
): TenantSettingsEvent[] {
  const timeZone = canonicalTimeZone(name);
  if (timeZone === undefined) {
    throw new DomainError(
      'time_zone_unknown',
      'invalid',
      'The time zone must be an IANA name, such as Europe/Helsinki or UTC',
    );
  }

  if (timeZone === state.timeZone) return [];
  return [{ type: 'TenantTimeZoneSet', data: { timeZone } }];
}

function evolve(
  state: TenantSettingsState,
  event: TenantSettingsEvent,
): TenantSettingsState {
  switch (event.type) {
    case 'TenantTimeZoneSet':
      return { ...state, timeZone: event.data.timeZone };
    default:
      return unreachable(event.type);
  }
}
