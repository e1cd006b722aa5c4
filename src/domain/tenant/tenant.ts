import { z } from 'zod';

import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import type { TenantEvent } from './tenant-events.js';

export type TenantCommand =
  | {
      type: 'CreateTenant';
      tenantId: string;
      slug: string;
      slugIndex: string;
      displayName: string;
      egressAddresses: string[];
    }
  | { type: 'RenameTenant'; displayName: string }
  | { type: 'AssignEgressAddresses'; addresses: string[] }
  | { type: 'DeleteTenant'; at: Date };

export type TenantState =
  | { status: 'absent' }
  | { status: 'deleted'; tenantId: string }
  | {
      status: 'active';
      tenantId: string;
      slug: string;
      slugIndex: string;
      displayName: string;
      egressAddresses: string[];
    };

/** Lower-case words joined by hyphens: it appears in URLs and logs. */
const slugSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);

const displayNameSchema = z.string().trim().min(1).max(200);

const addressSchema = z.union([z.ipv4(), z.ipv6()]);

/**
 * A tenant's stream is named by the blind index of its slug, so the event
 * store itself keeps slugs unique (a second tenant with a taken slug meets
 * a stream that exists) while the slug itself stays encrypted.
 */
export const tenantStreamName = (slugIndex: string) => `tenant-${slugIndex}`;

export const tenantDecider: Decider<TenantState, TenantCommand, TenantEvent> = {
  initialState: () => ({ status: 'absent' }),
  evolve,
  decide,
};

function decide(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'CreateTenant':
      return create(command, state);
    case 'RenameTenant':
      return rename(command.displayName, state);
    case 'AssignEgressAddresses':
      return assignEgress(command.addresses, state);
    case 'DeleteTenant':
      return remove(command.at, state);
    default:
      return unreachable(command);
  }
}

function create(
  command: Extract<TenantCommand, { type: 'CreateTenant' }>,
  state: TenantState,
): TenantEvent[] {
  if (state.status !== 'absent') {
    throw new DomainError('tenant_exists', 'conflict', 'Tenant already exists');
  }
  if (!slugSchema.safeParse(command.slug).success) {
    throw invalid('slug', 'lower-case letters, digits and inner hyphens');
  }

  const created: TenantEvent = {
    type: 'TenantCreated',
    data: {
      tenantId: command.tenantId,
      slug: command.slug,
      slugIndex: command.slugIndex,
      displayName: validDisplayName(command.displayName),
    },
  };
  const addresses = validAddresses(command.egressAddresses);

  return addresses.length === 0
    ? [created]
    : [created, { type: 'EgressAddressesAssigned', data: { addresses } }];
}

function rename(displayName: string, state: TenantState): TenantEvent[] {
  const tenant = existing(state);
  const name = validDisplayName(displayName);

  if (name === tenant.displayName) return [];
  return [{ type: 'TenantRenamed', data: { displayName: name } }];
}

function assignEgress(addresses: string[], state: TenantState): TenantEvent[] {
  const tenant = existing(state);
  const valid = validAddresses(addresses);

  if (valid.join() === tenant.egressAddresses.join()) return [];
  return [{ type: 'EgressAddressesAssigned', data: { addresses: valid } }];
}

/** Deleting twice changes nothing; the slug stays retired. */
function remove(at: Date, state: TenantState): TenantEvent[] {
  if (state.status === 'deleted') return [];
  const tenant = existing(state);

  return [
    {
      type: 'TenantDeleted',
      data: { tenantId: tenant.tenantId, deletedAt: at.toISOString() },
    },
  ];
}

function evolve(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated':
      return { status: 'active', ...event.data, egressAddresses: [] };
    case 'TenantRenamed':
      return state.status !== 'active'
        ? state
        : { ...state, displayName: event.data.displayName };
    case 'EgressAddressesAssigned':
      return state.status !== 'active'
        ? state
        : { ...state, egressAddresses: event.data.addresses };
    case 'TenantDeleted':
      return { status: 'deleted', tenantId: event.data.tenantId };
    default:
      return unreachable(event);
  }
}

function existing(state: TenantState) {
  if (state.status !== 'active') {
    throw new DomainError('tenant_not_found', 'not_found', 'No such tenant');
  }

  return state;
}

function validDisplayName(displayName: string): string {
  const parsed = displayNameSchema.safeParse(displayName);
  if (!parsed.success) throw invalid('displayName', '1 to 200 characters');

  return parsed.data;
}

/** Sorted and without duplicates, so that equal sets compare equal. */
function validAddresses(addresses: string[]): string[] {
  const bad = addresses.find((a) => !addressSchema.safeParse(a).success);
  if (bad !== undefined) throw invalid('egressAddresses', 'IP addresses');

  return [...new Set(addresses)].sort();
}

function invalid(field: string, expected: string): DomainError {
  return new DomainError(
    'tenant_invalid',
    'invalid',
    `Tenant ${field} must be ${expected}`,
  );
}
