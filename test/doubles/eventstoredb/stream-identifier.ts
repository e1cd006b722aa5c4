import type * as shared from '@eventstore/db-client/generated/shared_pb.js';

import { sharedPb } from './generated-protocol.js';

// On the wire a stream name is bytes: UTF-8, both ways.

export function streamIdentifier(name: string): shared.StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(name));
}

export function streamNameOf(
  identifier: shared.StreamIdentifier | undefined,
): string {
  const bytes = identifier?.getStreamName_asU8();

  return Buffer.from(bytes ?? []).toString('utf8');
}
