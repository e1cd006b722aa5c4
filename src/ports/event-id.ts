import { randomUUID } from 'node:crypto';

let sequence = 0;

/**
 * A new event id: a UUID in the version 7 layout, a 48-bit millisecond
 * timestamp, a 12-bit sequence, then random bits. Ids made one after
 * another sort near each other, so a store's unique index on ids grows at
 * its right edge instead of touching a random page on every insert.
 */
export function newEventId(): string {
  const ms = Date.now().toString(16).padStart(12, '0');
  const counter = (sequence++ & 0xfff).toString(16).padStart(3, '0');
  const random = randomUUID().slice(19);

  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${counter}-${random}`;
}
