/**
 * The gRPC messages and service definitions the EventStoreDB test double
 * serves, taken from the modules `@eventstore/db-client` generated.
 */
import { createRequire } from 'node:module';

import type { ServerReadableStream, ServerWritableStream } from '@grpc/grpc-js';
import type * as features from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as shared from '@eventstore/db-client/generated/shared_pb.js';
import type * as streams from '@eventstore/db-client/generated/streams_pb.js';

export type ReadReq = streams.ReadReq;
export type ReadResp = streams.ReadResp;
export type AppendReq = streams.AppendReq;
export type AppendResp = streams.AppendResp;
export type ReadOptions = streams.ReadReq.Options;
export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
export type AppendCall = ServerReadableStream<AppendReq, AppendResp>;

// The generated modules are CommonJS whose exports ESM cannot detect, and
// the messages must be the very classes the client's serializers check.
const require = createRequire(import.meta.url);
const streamsPb: typeof streams = require('@eventstore/db-client/generated/streams_pb.js');
export const sharedPb: typeof shared = require('@eventstore/db-client/generated/shared_pb.js');
export const featuresPb: typeof features = require('@eventstore/db-client/generated/serverfeatures_pb.js');
export const {
  StreamsService,
} = require('@eventstore/db-client/generated/streams_grpc_pb.js');
export const {
  ServerFeaturesService,
} = require('@eventstore/db-client/generated/serverfeatures_grpc_pb.js');

export const { ReadResp, AppendResp } = streamsPb;
export const { ReadDirection } = streamsPb.ReadReq.Options;
