import type { ActualRevision, ExpectedRevision } from './event-store.js';

/** The port's rule for whether an append may go ahead, for every adapter. */
export function matchesExpectedRevision(
  expected: ExpectedRevision,
  actual: ActualRevision,
): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}
