import { Metadata, status, type sendUnaryData } from '@grpc/grpc-js';
import type * as shared from '@eventstore/db-client/generated/shared_pb.js';
import type * as streams from '@eventstore/db-client/generated/streams_pb.js';

import {
  AppendResp,
  sharedPb,
  type AppendCall,
  type AppendReq,
} from './generated-protocol.js';
import { RpcFailure, asRpcFailure } from './rpc-failure.js';
import { streamNameOf } from './stream-identifier.js';
import type {
  Expected,
  ProposedEvent,
  StoredEvent,
  TransactionLog,
} from './transaction-log.js';

/**
 * Streams.Append of the EventStoreDB test double: the client streams a
 * header and the events, and gets one answer once it has sent them all.
 * `positionOnRetry` says whether an idempotent retry is answered with the
 * position of the events already written, as current servers do.
 */
export function serveAppend(
  log: TransactionLog,
  call: AppendCall,
  reply: sendUnaryData<AppendResp>,
  positionOnRetry: boolean,
): void {
  const requests: AppendReq[] = [];
  call.on('data', (request: AppendReq) => requests.push(request));
  call.on('end', () => {
    try {
      reply(null, appendAll(log, requests, positionOnRetry));
    } catch (error) {
      reply(asRpcFailure(error));
    }
  });
}

function appendAll(
  log: TransactionLog,
  requests: AppendReq[],
  positionOnRetry: boolean,
): AppendResp {
  const [header, ...messages] = requests;
  const appendOptions = header?.getOptions();
  if (!appendOptions || messages.some((m) => !m.hasProposedMessage())) {
    throw new RpcFailure(status.INVALID_ARGUMENT, 'Malformed append');
  }

  const name = streamNameOf(appendOptions.getStreamIdentifier());
  const expected = expectedOf(appendOptions);
  const proposed = messages.map((m) => proposedEvent(m.getProposedMessage()!));
  const decision = log.decide(
    name,
    expected,
    proposed.map((event) => event.id),
  );

  switch (decision.kind) {
    case 'conflict':
      return wrongExpectedVersion(log.stream(name), expected);
    case 'idempotent':
      return success(
        decision.last,
        positionOnRetry ? decision.last : undefined,
      );
    case 'write': {
      const written = log.write(name, proposed);
      const last = written.at(-1) ?? log.stream(name)?.at(-1);
      return success(last, written.at(-1));
    }
  }
}

function expectedOf(options: streams.AppendReq.Options): Expected {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasAny()) return 'any';

  throw new RpcFailure(status.INVALID_ARGUMENT, 'No expected revision');
}

function proposedEvent(
  message: streams.AppendReq.ProposedMessage,
): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) {
    const trailers = new Metadata();
    trailers.set('exception', 'missing-required-metadata-property');
    trailers.set('required-metadata-properties', 'type,content-type');
    throw new RpcFailure(
      status.INVALID_ARGUMENT,
      'Required Metadata Property is missing',
      trailers,
    );
  }

  return {
    id: uuidOf(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function success(
  last: StoredEvent | undefined,
  positioned: StoredEvent | undefined,
): AppendResp {
  const result = new AppendResp.Success();
  if (last) result.setCurrentRevision(last.revision.toString());
  else result.setNoStream(new sharedPb.Empty());
  if (positioned) {
    const position = new AppendResp.Position();
    position.setCommitPosition(positioned.position.toString());
    position.setPreparePosition(positioned.position.toString());
    result.setPosition(position);
  } else {
    result.setNoPosition(new sharedPb.Empty());
  }

  return new AppendResp().setSuccess(result);
}

function wrongExpectedVersion(
  stream: StoredEvent[] | undefined,
  expected: Expected,
): AppendResp {
  const wrong = new AppendResp.WrongExpectedVersion();
  const last = stream?.at(-1);
  if (last) wrong.setCurrentRevision(last.revision.toString());
  else wrong.setCurrentNoStream(new sharedPb.Empty());

  if (typeof expected === 'bigint') {
    wrong.setExpectedRevision(expected.toString());
  } else if (expected === 'no_stream') {
    wrong.setExpectedNoStream(new sharedPb.Empty());
  } else if (expected === 'stream_exists') {
    wrong.setExpectedStreamExists(new sharedPb.Empty());
  } else {
    wrong.setExpectedAny(new sharedPb.Empty());
  }

  return new AppendResp().setWrongExpectedVersion(wrong);
}

const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The client sends and asks for ids as strings, never in the structured form.
function uuidOf(uuid: shared.UUID | undefined): string {
  const text = uuid?.getString() ?? '';
  if (!uuidPattern.test(text)) {
    throw new RpcFailure(status.INVALID_ARGUMENT, 'Invalid event id');
  }

  return text.toLowerCase();
}
