import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP address is, for the purpose of deciding whether Hakkiri may
 * connect to it. Only `public` addresses are customers' servers on the
 * internet; every other kind reaches our own network or nothing.
 */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'not_an_address';

interface Range<Value> {
  prefix: Value;
  bits: number;
  kind: AddressKind;
}

/** From the IANA IPv4 Special-Purpose Address Registry (RFC 6890). */
const ipv4Ranges: Range<number>[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'shared'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link_local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'benchmarking'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
];

/**
 * IPv6 ranges that carry an IPv4 address, and where it sits (the bit
 * offset of its 32 bits from the left). Such an address reaches whatever
 * its IPv4 address reaches, so it is judged by that.
 */
const ipv4Carriers: { range: Range<bigint>; offset: number }[] = [
  { range: v6('::ffff:0:0', 96, 'reserved'), offset: 96 },
  { range: v6('::ffff:0:0:0', 96, 'reserved'), offset: 96 },
  { range: v6('64:ff9b::', 96, 'reserved'), offset: 96 },
  { range: v6('2002::', 16, 'reserved'), offset: 16 },
];

/**
 * Global unicast is 2000::/3; everything outside it is refused, named
 * where a name helps. Inside it, the special-purpose blocks of the IANA
 * IPv6 registry (RFC 6890) are refused too. 2001::/23 holds Teredo.
 */
const ipv6Ranges: Range<bigint>[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('64:ff9b:1::', 48, 'private'),
  v6('100::', 64, 'reserved'),
  v6('fc00::', 7, 'unique_local'),
  v6('fe80::', 10, 'link_local'),
  v6('fec0::', 10, 'private'),
  v6('ff00::', 8, 'multicast'),
  v6('2001::', 23, 'reserved'),
  v6('2001:db8::', 32, 'documentation'),
  v6('3fff::', 20, 'documentation'),
  v6('5f00::', 16, 'reserved'),
];

const globalUnicast = v6('2000::', 3, 'public');

/** Classifies a textual IPv4 or IPv6 address, as resolvers return them. */
export function classifyAddress(address: string): AddressKind {
  if (isIPv4(address)) return classifyIpv4(ipv4Value(address));

  const unscoped = address.replace(/%.*$/, '');
  if (isIPv6(unscoped)) return classifyIpv6(ipv6Value(unscoped));

  return 'not_an_address';
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

/** Says why an address is refused, in words an admin can act on. */
export function describeAddressKind(kind: AddressKind): string {
  const words: Record<AddressKind, string> = {
    public: 'a public address',
    unspecified: 'an unspecified address',
    loopback: 'a loopback address',
    private: 'a private address',
    shared: 'a carrier-grade NAT address',
    link_local: 'a link-local address',
    unique_local: 'a unique-local address',
    multicast: 'a multicast address',
    documentation: 'an address reserved for documentation',
    benchmarking: 'an address reserved for benchmarking',
    reserved: 'a reserved address',
    not_an_address: 'something that is not an IP address',
  };

  return words[kind];
}

function classifyIpv4(value: number): AddressKind {
  const range = ipv4Ranges.find((r) => inIpv4Range(value, r));

  return range?.kind ?? 'public';
}

function classifyIpv6(value: bigint): AddressKind {
  const carrier = ipv4Carriers.find((c) => inIpv6Range(value, c.range));
  if (carrier) return classifyIpv4(embeddedIpv4(value, carrier.offset));

  if (isIpv4Compatible(value)) {
    const kind = classifyIpv4(Number(value));
    return kind === 'public' ? 'reserved' : kind;
  }

  const range = ipv6Ranges.find((r) => inIpv6Range(value, r));
  if (range) return range.kind;

  return inIpv6Range(value, globalUnicast) ? 'public' : 'reserved';
}

/** `::a.b.c.d`, deprecated by RFC 4291; `::` and `::1` are not among them. */
function isIpv4Compatible(value: bigint): boolean {
  return value >> 32n === 0n && value > 1n;
}

function embeddedIpv4(value: bigint, offset: number): number {
  return Number((value >> BigInt(128 - offset - 32)) & 0xffffffffn);
}

function inIpv4Range(value: number, range: Range<number>): boolean {
  const shift = 32 - range.bits;

  return value >>> shift === range.prefix >>> shift;
}

function inIpv6Range(value: bigint, range: Range<bigint>): boolean {
  const shift = BigInt(128 - range.bits);

  return value >> shift === range.prefix >> shift;
}

function ipv4Value(address: string): number {
  return address
    .split('.')
    .reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** The 128 bits of a valid IPv6 address, with `::` and a dotted tail. */
function ipv6Value(address: string): bigint {
  const groups = ipv6Groups(address);

  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function ipv6Groups(address: string): number[] {
  const withHexTail = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (tail) => {
    const value = ipv4Value(tail);
    return `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  });
  const [head = '', tail] = withHexTail.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const left = parse(head);
  if (tail === undefined) return left;

  const right = parse(tail);
  const gap = new Array<number>(8 - left.length - right.length).fill(0);

  return [...left, ...gap, ...right];
}

function v4(address: string, bits: number, kind: AddressKind): Range<number> {
  return { prefix: ipv4Value(address), bits, kind };
}

function v6(address: string, bits: number, kind: AddressKind): Range<bigint> {
  return { prefix: ipv6Value(address), bits, kind };
}
