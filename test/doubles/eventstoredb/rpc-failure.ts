import { Metadata, status } from '@grpc/grpc-js';

/**
 * A gRPC failure as the EventStoreDB test double sends it: a status and
 * trailing metadata.
 */
export class RpcFailure extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
    readonly metadata = new Metadata(),
  ) {
    super(details);
  }
}

/** Any error as a gRPC failure: one the double did not mean is INTERNAL. */
export function asRpcFailure(error: unknown): RpcFailure {
  return error instanceof RpcFailure
    ? error
    : new RpcFailure(status.INTERNAL, String(error));
}
