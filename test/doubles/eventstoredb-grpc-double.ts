/**
 * A test double of EventStoreDB, not EventStoreDB. It serves the gRPC
 * services that `@eventstore/db-client` ships (Streams and ServerFeatures)
 * from memory, so the real client and the real adapter run over real gRPC
 * in CI without a server. It copies the server's documented behaviour:
 * expected-revision checks with idempotent retries, stream_not_found on
 * missing streams, one log position per event (commit equal to prepare, as
 * for every non-transactional write), $all reads both ways, and filtered
 * $all subscriptions with confirmation, checkpoints and caught_up.
 *
 * Only what the adapter needs is served. Delete, tombstone, BatchAppend,
 * stream subscriptions, links, ACLs and structured UUIDs answer
 * UNIMPLEMENTED or are absent.
 * Only test code may import this file.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createRequire } from 'node:module';
import {
  connect,
  createServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';

import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type * as features from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as shared from '@eventstore/db-client/generated/shared_pb.js';
import type * as streams from '@eventstore/db-client/generated/streams_pb.js';

type StreamsPb = typeof streams;
type SharedPb = typeof shared;
type FeaturesPb = typeof features;
type ReadReq = streams.ReadReq;
type ReadResp = streams.ReadResp;
type AppendReq = streams.AppendReq;
type AppendResp = streams.AppendResp;
type ReadOptions = streams.ReadReq.Options;
type FilterOptions = streams.ReadReq.Options.FilterOptions;
type Uuid = shared.UUID;

// The generated modules are CommonJS whose exports ESM cannot detect, and
// the messages must be the very classes the client's serializers check.
const require = createRequire(import.meta.url);
const streamsPb: StreamsPb = require('@eventstore/db-client/generated/streams_pb.js');
const sharedPb: SharedPb = require('@eventstore/db-client/generated/shared_pb.js');
const featuresPb: FeaturesPb = require('@eventstore/db-client/generated/serverfeatures_pb.js');
const {
  StreamsService,
} = require('@eventstore/db-client/generated/streams_grpc_pb.js');
const {
  ServerFeaturesService,
} = require('@eventstore/db-client/generated/serverfeatures_grpc_pb.js');

const { ReadResp, AppendResp } = streamsPb;
const { ReadDirection } = streamsPb.ReadReq.Options;

export interface EventStoreDbDouble {
  /** A single-node, insecure connection string for the real client. */
  readonly url: string;
  /**
   * Resets every connection and stops listening, as a node that crashed:
   * clients see UNAVAILABLE. The data is kept.
   */
  stop(): Promise<void>;
  /** Listens again on the same port, with the data it had. */
  start(): Promise<void>;
  /** Reads and subscriptions the server is still serving. */
  openReads(): number;
  /** Where each $all subscription asked to start, oldest first. */
  subscriptionStarts(): SubscriptionStart[];
  /** Stops for good. */
  close(): Promise<void>;
}

export type SubscriptionStart = 'start' | 'end' | bigint;

export interface EventStoreDbDoubleOptions {
  /**
   * Current servers answer an idempotent retry with the position of the
   * events already written; older ones with no position. Default true.
   */
  idempotentAppendPosition?: boolean;
}

export async function startEventStoreDbDouble(
  options: EventStoreDbDoubleOptions = {},
): Promise<EventStoreDbDouble> {
  const log = new TransactionLog();
  const reads = new Set<ServerWritableStream<ReadReq, ReadResp>>();
  const starts: SubscriptionStart[] = [];
  const server = await serve({
    read: (call: ServerWritableStream<ReadReq, ReadResp>) => {
      const start = subscriptionStart(call.request);
      if (start !== undefined) starts.push(start);
      const closed = new AbortController();
      reads.add(call);
      call.on('close', () => {
        reads.delete(call);
        closed.abort();
      });
      serveRead(log, call, closed.signal).catch((error: unknown) =>
        fail(call, error),
      );
    },
    append: (
      call: ServerReadableStream<AppendReq, AppendResp>,
      reply: sendUnaryData<AppendResp>,
    ) => serveAppend(log, call, reply, options),
  });
  const door = new FrontDoor(server.port);
  await door.open(0);
  const readsEnded = () =>
    Promise.all([...reads].map((call) => once(call, 'close')));

  return {
    url: `esdb://127.0.0.1:${door.port}?tls=false`,
    stop: async () => {
      await door.shut();
      await readsEnded();
    },
    start: () => door.open(door.port),
    openReads: () => reads.size,
    subscriptionStarts: () => [...starts],
    close: async () => {
      await door.shut();
      server.instance.forceShutdown();
      await readsEnded();
    },
  };
}

function subscriptionStart(request: ReadReq): SubscriptionStart | undefined {
  const options = request.getOptions();
  const all = options?.getAll();
  if (!options?.hasSubscription() || !all) return undefined;
  if (all.hasStart()) return 'start';
  if (all.hasEnd()) return 'end';

  return BigInt(all.getPosition()?.getCommitPosition() ?? 0);
}

async function serve(
  streams: UntypedServiceImplementation,
): Promise<{ instance: Server; port: number }> {
  const instance = new Server();
  instance.addService(StreamsService, streams);
  instance.addService(ServerFeaturesService, {
    getSupportedMethods: serveFeatures,
  });

  const port = await new Promise<number>((resolve, reject) =>
    instance.bindAsync(
      '127.0.0.1:0',
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );

  return { instance, port };
}

/**
 * The port clients dial. It relays bytes to the gRPC server, so shutting it
 * resets live TCP connections the way a crash does, which a graceful gRPC
 * shutdown would not.
 */
class FrontDoor {
  port = 0;
  private readonly sockets = new Set<Socket>();
  private listener: NetServer | undefined;

  constructor(private readonly serverPort: number) {}

  async open(port: number): Promise<void> {
    const listener = createServer((socket) => this.relay(socket));
    listener.listen(port, '127.0.0.1');
    await once(listener, 'listening');

    this.listener = listener;
    this.port = (listener.address() as AddressInfo).port;
  }

  async shut(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    if (listener) await new Promise((done) => listener.close(done));
  }

  private relay(socket: Socket): void {
    const server = connect(this.serverPort, '127.0.0.1');
    for (const end of [socket, server]) {
      this.sockets.add(end);
      end.on('close', () => this.sockets.delete(end));
      end.on('error', () => {
        socket.destroy();
        server.destroy();
      });
    }

    socket.pipe(server).pipe(socket);
  }
}

// BatchAppend is left out on purpose, so the client uses the legacy Append.
function serveFeatures(
  _call: ServerUnaryCall<unknown, unknown>,
  reply: sendUnaryData<features.SupportedMethods>,
): void {
  const methods = new featuresPb.SupportedMethods();
  methods.setEventStoreServerVersion('23.10.0-test-double');
  for (const [service, method] of [
    ['event_store.client.streams.streams', 'read'],
    ['event_store.client.streams.streams', 'append'],
    [
      'event_store.client.server_features.serverfeatures',
      'getsupportedmethods',
    ],
  ] as const) {
    const supported = new featuresPb.SupportedMethod();
    supported.setServiceName(service);
    supported.setMethodName(method);
    methods.addMethods(supported);
  }

  reply(null, methods);
}

/** A gRPC failure as the server sends it: a status and trailing metadata. */
class RpcFailure extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
    readonly metadata = new Metadata(),
  ) {
    super(details);
  }
}

function fail(call: ServerWritableStream<ReadReq, ReadResp>, error: unknown) {
  if (call.cancelled || call.destroyed) return;

  const failure =
    error instanceof RpcFailure
      ? error
      : new RpcFailure(status.INTERNAL, String(error));
  call.emit('error', failure);
}

const invalidPosition = () =>
  new RpcFailure(
    status.INVALID_ARGUMENT,
    'Trying to read from an invalid position.',
  );

interface StoredEvent {
  streamName: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  position: bigint;
  createdTicks: bigint;
}

type Expected = 'any' | 'no_stream' | 'stream_exists' | bigint;

type Decision =
  | { kind: 'write' }
  | { kind: 'idempotent'; last: StoredEvent }
  | { kind: 'conflict' };

interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

// A record's size on disk, roughly; it only makes gaps between positions.
const recordOverhead = 80n;
const ticksPerMillisecond = 10_000n;

/**
 * The data: one log of events in position order, indexed by stream. The
 * log opens with a non-event record and the system events a fresh node
 * writes, so readers meet what they meet on a real server.
 */
class TransactionLog {
  readonly events: StoredEvent[] = [];
  readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly boundaries = new Set<bigint>([0n]);
  private end = 256n;

  constructor() {
    this.boundaries.add(this.end);
    this.write('$epoch-information', [systemEvent('$epoch-information')]);
    this.write('$projections-$all', [systemEvent('$ProjectionsInitialized')]);
  }

  stream(name: string): StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  /** Whether a position starts a record or is the end of the log. */
  isBoundary(position: bigint): boolean {
    return this.boundaries.has(position);
  }

  /** Index of the first event at or after a position. */
  indexFrom(position: bigint): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle]!.position < position) low = middle + 1;
      else high = middle;
    }

    return low;
  }

  decide(name: string, expected: Expected, ids: string[]): Decision {
    const stream = this.streams.get(name) ?? [];
    if (expected === 'stream_exists' && stream.length === 0) {
      return { kind: 'conflict' };
    }
    if (expected === 'any' || expected === 'stream_exists') {
      return retriedAnywhere(stream, ids);
    }

    const current = BigInt(stream.length) - 1n;
    const revision = expected === 'no_stream' ? -1n : expected;
    if (revision === current) return { kind: 'write' };
    if (revision > current || ids.length === 0) return { kind: 'conflict' };

    return retriedAt(stream, revision, ids);
  }

  write(name: string, proposed: ProposedEvent[]): StoredEvent[] {
    const stream = this.streams.get(name) ?? [];
    this.streams.set(name, stream);
    const createdTicks = BigInt(Date.now()) * ticksPerMillisecond;

    const written = proposed.map((event) => {
      const stored = {
        ...event,
        streamName: name,
        revision: BigInt(stream.length),
        position: this.end,
        createdTicks,
      };
      stream.push(stored);
      this.events.push(stored);
      this.end += recordSize(stored);
      this.boundaries.add(this.end);
      return stored;
    });
    if (written.length > 0) this.appended.emit('append');

    return written;
  }
}

function systemEvent(type: string): ProposedEvent {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: json({ node: 'double' }),
    metadata: json({}),
  };
}

function recordSize(event: StoredEvent): bigint {
  const bytes =
    Buffer.byteLength(event.streamName) +
    Buffer.byteLength(event.type) +
    event.data.length +
    event.metadata.length;

  return recordOverhead + BigInt(bytes);
}

// With "any", a write whose first id is already in the stream is a retry.
function retriedAnywhere(stream: StoredEvent[], ids: string[]): Decision {
  const found = ids.map((id) => stream.findLast((event) => event.id === id));
  if (found.length === 0 || found[0] === undefined) return { kind: 'write' };
  if (found.some((event) => event === undefined)) return { kind: 'conflict' };

  return { kind: 'idempotent', last: found[found.length - 1]! };
}

// Behind the stream, a write is a retry only if the same ids follow it.
function retriedAt(
  stream: StoredEvent[],
  revision: bigint,
  ids: string[],
): Decision {
  const following = stream.slice(Number(revision + 1n));
  const same = ids.every((id, offset) => following[offset]?.id === id);
  if (!same) return { kind: 'conflict' };

  return { kind: 'idempotent', last: following[ids.length - 1]! };
}

function serveAppend(
  log: TransactionLog,
  call: ServerReadableStream<AppendReq, AppendResp>,
  reply: sendUnaryData<AppendResp>,
  options: EventStoreDbDoubleOptions,
): void {
  const requests: AppendReq[] = [];
  call.on('data', (request: AppendReq) => requests.push(request));
  call.on('end', () => {
    try {
      reply(null, appendAll(log, requests, options));
    } catch (error) {
      reply(
        error instanceof RpcFailure
          ? error
          : new RpcFailure(status.INTERNAL, String(error)),
      );
    }
  });
}

function appendAll(
  log: TransactionLog,
  requests: AppendReq[],
  options: EventStoreDbDoubleOptions,
): AppendResp {
  const [header, ...messages] = requests;
  const appendOptions = header?.getOptions();
  if (!appendOptions || messages.some((m) => !m.hasProposedMessage())) {
    throw new RpcFailure(status.INVALID_ARGUMENT, 'Malformed append');
  }

  const name = utf8(appendOptions.getStreamIdentifier()?.getStreamName_asU8());
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
        options.idempotentAppendPosition === false ? undefined : decision.last,
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

async function serveRead(
  log: TransactionLog,
  call: ServerWritableStream<ReadReq, ReadResp>,
  signal: AbortSignal,
): Promise<void> {
  const options = call.request.getOptions();
  if (!options) throw new RpcFailure(status.INVALID_ARGUMENT, 'No options');

  if (options.hasSubscription()) {
    if (!options.hasAll()) {
      throw new RpcFailure(status.UNIMPLEMENTED, 'Stream subscriptions');
    }
    await subscribeToAll(log, call, options, signal);
    return;
  }

  const events = options.hasStream()
    ? readStream(log, options)
    : readAll(log, options);
  const fromAll = !options.hasStream();
  for (const event of events ?? []) {
    await send(call, eventResponse(event, fromAll), signal);
  }
  if (events === undefined) await send(call, streamNotFound(options), signal);

  call.end();
}

function readStream(
  log: TransactionLog,
  options: ReadOptions,
): StoredEvent[] | undefined {
  const streamOptions = options.getStream()!;
  const stream = log.stream(
    utf8(streamOptions.getStreamIdentifier()?.getStreamName_asU8()),
  );
  if (stream === undefined) return undefined;

  const count = Number(options.getCount());
  const last = BigInt(stream.length) - 1n;
  const from = streamOptions.hasRevision()
    ? BigInt(streamOptions.getRevision())
    : streamOptions.hasEnd()
      ? last
      : 0n;

  if (options.getReadDirection() === ReadDirection.BACKWARDS) {
    const upTo = from > last ? last : from;
    return stream
      .slice(0, Number(upTo + 1n))
      .reverse()
      .slice(0, count);
  }

  return stream.slice(Number(from), Number(from) + count);
}

function readAll(log: TransactionLog, options: ReadOptions): StoredEvent[] {
  const all = options.getAll()!;
  const count = Number(options.getCount());
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  // An index into the log: forwards reads from it, backwards reads below it.
  const index = all.hasPosition()
    ? log.indexFrom(exactPosition(log, all.getPosition()!))
    : all.hasStart()
      ? 0
      : log.events.length;

  if (backwards) {
    return log.events.slice(Math.max(0, index - count), index).reverse();
  }

  return log.events.slice(index, index + count);
}

// A position must be where a record starts, as on a real server; anything
// else is the middle of a record.
function exactPosition(
  log: TransactionLog,
  position: streams.ReadReq.Options.Position,
): bigint {
  const commit = BigInt(position.getCommitPosition());
  const prepare = BigInt(position.getPreparePosition());
  if (commit !== prepare || !log.isBoundary(commit)) throw invalidPosition();

  return commit;
}

async function subscribeToAll(
  log: TransactionLog,
  call: ServerWritableStream<ReadReq, ReadResp>,
  options: ReadOptions,
  signal: AbortSignal,
): Promise<void> {
  const all = options.getAll()!;
  const matches = filterOf(options);
  const checkpointEvery = checkpointInterval(options.getFilter());
  // From a position, the server reads the event there and starts after it.
  let cursor = all.hasStart()
    ? 0
    : all.hasEnd()
      ? log.events.length
      : log.indexFrom(exactPosition(log, all.getPosition()!)) + 1;
  let considered = 0;
  let caughtUp = false;

  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  await send(call, new ReadResp().setConfirmation(confirmation), signal);

  while (!signal.aborted) {
    const event = log.events[cursor];
    if (event !== undefined) {
      cursor += 1;
      considered += 1;
      if (matches(event)) {
        await send(call, eventResponse(event, true), signal);
      }
      if (considered >= checkpointEvery) {
        considered = 0;
        await send(call, checkpoint(event), signal);
      }
    } else if (!caughtUp) {
      caughtUp = true;
      await send(
        call,
        new ReadResp().setCaughtUp(new ReadResp.CaughtUp()),
        signal,
      );
    } else {
      await once(log.appended, 'append', { signal }).catch(() => undefined);
    }
  }
}

// The default search window of a filtered read is 32 events.
function checkpointInterval(filter: FilterOptions | undefined): number {
  if (!filter) return Number.POSITIVE_INFINITY;
  const window = filter.hasMax() ? filter.getMax() : 32;

  return window * Math.max(1, filter.getCheckpointintervalmultiplier());
}

function filterOf(options: ReadOptions): (event: StoredEvent) => boolean {
  const filter = options.getFilter();
  if (!filter) return () => true;

  const byType = filter.hasEventType();
  const expression = byType
    ? filter.getEventType()!
    : filter.getStreamIdentifier()!;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const pattern = regex === '' ? undefined : new RegExp(regex);

  return (event) => {
    const subject = byType ? event.type : event.streamName;
    if (pattern) return pattern.test(subject);

    return prefixes.some((prefix) => subject.startsWith(prefix));
  };
}

// Waits while the client is slow, as gRPC flow control asks.
async function send(
  call: ServerWritableStream<ReadReq, ReadResp>,
  response: ReadResp,
  signal: AbortSignal,
): Promise<void> {
  if (call.write(response)) return;

  await once(call, 'drain', { signal }).catch(() => undefined);
}

function eventResponse(event: StoredEvent, fromAll: boolean): ReadResp {
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

function checkpoint(event: StoredEvent): ReadResp {
  const reached = new ReadResp.Checkpoint();
  reached.setCommitPosition(event.position.toString());
  reached.setPreparePosition(event.position.toString());

  return new ReadResp().setCheckpoint(reached);
}

function streamNotFound(options: ReadOptions): ReadResp {
  const notFound = new ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(options.getStream()!.getStreamIdentifier());

  return new ReadResp().setStreamNotFound(notFound);
}

function streamIdentifier(name: string) {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(name));
}

function utf8(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? []).toString('utf8');
}

const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The client sends and asks for ids as strings, never in the structured form.
function uuidOf(uuid: Uuid | undefined): string {
  const text = uuid?.getString() ?? '';
  if (!uuidPattern.test(text)) {
    throw new RpcFailure(status.INVALID_ARGUMENT, 'Invalid event id');
  }

  return text.toLowerCase();
}
