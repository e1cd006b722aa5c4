import { status } from '@grpc/grpc-js';
import type * as streams from '@eventstore/db-client/generated/streams_pb.js';

import { RpcFailure } from './rpc-failure.js';
import type { TransactionLog } from './transaction-log.js';

/**
 * A position in $all as a client asks the EventStoreDB test double for it.
 * It must be where a record starts, as on a real server; anything else is
 * the middle of a record.
 */
export function exactPosition(
  log: TransactionLog,
  position: streams.ReadReq.Options.Position,
): bigint {
  const commit = BigInt(position.getCommitPosition());
  const prepare = BigInt(position.getPreparePosition());
  if (commit !== prepare || !log.isBoundary(commit)) throw invalidPosition();

  return commit;
}

const invalidPosition = () =>
  new RpcFailure(
    status.INVALID_ARGUMENT,
    'Trying to read from an invalid position.',
  );
