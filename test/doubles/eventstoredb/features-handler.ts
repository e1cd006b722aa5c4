import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type * as features from '@eventstore/db-client/generated/serverfeatures_pb.js';

import { featuresPb } from './generated-protocol.js';

/**
 * ServerFeatures.GetSupportedMethods of the EventStoreDB test double.
 * BatchAppend is left out on purpose, so the client uses the legacy Append.
 */
export function serveFeatures(
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
