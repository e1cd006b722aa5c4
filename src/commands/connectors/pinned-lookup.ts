import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

import { ConnectorError } from './connector-errors.js';
import { classifyAddress, describeAddressKind } from './public-address.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Turns a host name into its addresses; injected by tests. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver, as connections would use it, every address. */
export const systemResolver: HostResolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });

  return found.map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));
};

/**
 * Resolves a host once and refuses it when any of its addresses is not a
 * public one: a name that answers with one public and one private
 * address would otherwise reach the private one on some connection.
 */
export async function resolveChecked(
  hostname: string,
  resolver: HostResolver,
  allowPrivateTargets: boolean,
): Promise<ResolvedAddress[]> {
  const addresses = await resolveOrFail(hostname, resolver);
  if (allowPrivateTargets) return addresses;

  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public') {
      throw new ConnectorError(
        'target_refused',
        `${hostname} resolves to ${describeAddressKind(kind)}`,
      );
    }
  }

  return addresses;
}

/**
 * A `lookup` for a connection that answers with the addresses already
 * checked, whatever name it is asked for. The connection then goes where
 * the check looked, and a second DNS answer (rebinding) is never asked.
 */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6;
    const usable = family
      ? addresses.filter((a) => a.family === options.family)
      : addresses;
    const first = usable[0];
    if (first === undefined) {
      const error = Object.assign(new Error('no checked address'), {
        code: 'ENOTFOUND',
      });
      callback(error, '', 0);
      return;
    }

    if (options.all) {
      const all: LookupAddress[] = usable.map((a) => ({ ...a }));
      (callback as (e: null, all: LookupAddress[]) => void)(null, all);
      return;
    }

    callback(null, first.address, first.family);
  };
}

async function resolveOrFail(
  hostname: string,
  resolver: HostResolver,
): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(hostname);
  } catch (error) {
    throw new ConnectorError('unreachable', `${hostname} did not resolve`, {
      cause: error,
    });
  }

  if (addresses.length === 0) {
    throw new ConnectorError('unreachable', `${hostname} has no address`);
  }

  return addresses;
}
