import { once } from 'node:events';

import {
  ReadResp,
  sharedPb,
  type ReadCall,
  type ReadOptions,
} from './generated-protocol.js';
import { streamIdentifier } from './stream-identifier.js';
import type { StoredEvent } from './transaction-log.js';

// What the EventStoreDB test double sends down a read or a subscription.

// Waits while the client is slow, as gRPC flow control asks.
export async function send(
  call: ReadCall,
  response: ReadResp,
  signal: AbortSignal,
): Promise<void> {
  if (call.write(response)) return;

  await once(call, 'drain', { signal }).catch(() => undefined);
}

export function eventResponse(event: StoredEvent, fromAll: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(new sharedPb.UUID().setString(event.id));
  recorded.setStreamIdentifier(streamIdentifier(event.streamName));
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', event.contentType);
  recorded.getMetadataMap().set('created', event.createdTicks.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.metadata);

  const read = new ReadResp.ReadEvent().setEvent(recorded);
  if (fromAll) read.setCommitPosition(event.position.toString());
  else read.setNoPosition(new sharedPb.Empty());

  return new ReadResp().setEvent(read);
}

export function checkpoint(event: StoredEvent): ReadResp {
  const reached = new ReadResp.Checkpoint();
  reached.setCommitPosition(event.position.toString());
  reached.setPreparePosition(event.position.toString());

  return new ReadResp().setCheckpoint(reached);
}

export function streamNotFound(options: ReadOptions): ReadResp {
  const notFound = new ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(options.getStream()!.getStreamIdentifier());

  return new ReadResp().setStreamNotFound(notFound);
}
