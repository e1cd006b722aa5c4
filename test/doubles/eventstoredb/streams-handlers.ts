import { once } from 'node:events';

import type {
  UntypedServiceImplementation,
  sendUnaryData,
} from '@grpc/grpc-js';

import { serveAppend } from './append-handler.js';
import type {
  AppendCall,
  AppendResp,
  ReadCall,
  ReadReq,
} from './generated-protocol.js';
import { serveRead } from './read-handler.js';
import { asRpcFailure } from './rpc-failure.js';
import type { TransactionLog } from './transaction-log.js';

export type SubscriptionStart = 'start' | 'end' | bigint;

/**
 * The Streams service of the EventStoreDB test double. It keeps the reads
 * it is still serving, and where each $all subscription asked to start, for
 * tests to look at.
 */
export class StreamsHandlers {
  readonly reads = new Set<ReadCall>();
  readonly starts: SubscriptionStart[] = [];

  constructor(
    private readonly log: TransactionLog,
    private readonly positionOnRetry: boolean,
  ) {}

  /** The handlers by method name, as grpc-js takes them. */
  implementation(): UntypedServiceImplementation {
    return {
      read: (call: ReadCall) => this.read(call),
      append: (call: AppendCall, reply: sendUnaryData<AppendResp>) =>
        serveAppend(this.log, call, reply, this.positionOnRetry),
    };
  }

  /** Settles once every read open now has closed. */
  readsEnded(): Promise<unknown> {
    return Promise.all([...this.reads].map((call) => once(call, 'close')));
  }

  private read(call: ReadCall): void {
    const start = subscriptionStart(call.request);
    if (start !== undefined) this.starts.push(start);
    const closed = new AbortController();
    this.reads.add(call);
    call.on('close', () => {
      this.reads.delete(call);
      closed.abort();
    });
    serveRead(this.log, call, closed.signal).catch((error: unknown) =>
      fail(call, error),
    );
  }
}

function subscriptionStart(request: ReadReq): SubscriptionStart | undefined {
  const options = request.getOptions();
  const all = options?.getAll();
  if (!options?.hasSubscription() || !all) return undefined;
  if (all.hasStart()) return 'start';
  if (all.hasEnd()) return 'end';

  return BigInt(all.getPosition()?.getCommitPosition() ?? 0);
}

function fail(call: ReadCall, error: unknown): void {
  if (call.cancelled || call.destroyed) return;

  call.emit('error', asRpcFailure(error));
}
