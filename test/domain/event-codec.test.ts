import { expect } from 'chai';

import {
  EventCodec,
  EventSchemaError,
  eventMetadataSchema,
  isEventMetadata,
} from '../../src/domain/event-codec.js';
import { tenantEvents } from '../../src/domain/tenant/tenant-events.js';
import type { TenantEvent } from '../../src/domain/tenant/tenant-events.js';

const valid = {
  tenantId: 't-1',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  schemaVersion: 1,
};

const otherValues: unknown[] = [
  undefined,
  null,
  '',
  'x',
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  true,
  [],
  {},
];

/** Every field given each of the other values, and missing; and more. */
function metadataVariants(): unknown[] {
  const variants: unknown[] = [
    valid,
    { ...valid, schemaVersion: 7, extra: 'kept or dropped, still valid' },
    { ...valid, tenantId: 'a'.repeat(10_000) },
    null,
    undefined,
    'metadata',
    42,
    [valid],
    Object.assign([], valid),
  ];
  for (const field of Object.keys(valid)) {
    const { [field]: _dropped, ...missing } = valid as Record<string, unknown>;
    variants.push(missing);
    for (const bad of otherValues) variants.push({ ...valid, [field]: bad });
  }

  return variants;
}

describe('event codec', function () {
  describe('the quick check of metadata', function () {
    it('accepts exactly what the metadata schema accepts', function () {
      const variants = metadataVariants();

      const disagreements = variants.filter(
        (value) =>
          isEventMetadata(value) !==
          eventMetadataSchema.safeParse(value).success,
      );

      expect(disagreements).to.deep.equal([]);
      expect(variants.filter((v) => isEventMetadata(v))).to.have.length(6);
    });
  });

  describe('decode', function () {
    const codec = new EventCodec<TenantEvent>(tenantEvents);
    const stored = (metadata: unknown) => ({
      streamName: 'tenant-1',
      revision: 3n,
      type: 'TenantRenamed',
      data: { displayName: 'Acme' },
      metadata,
    });

    it('names the metadata field that breaks the schema', function () {
      const decode = () => codec.decode(stored({ ...valid, causationId: '' }));

      expect(decode)
        .to.throw(EventSchemaError)
        .with.property('paths')
        .that.deep.equals(['metadata.causationId']);
    });

    it('refuses a schema version other than the definition’s', function () {
      const decode = () => codec.decode(stored({ ...valid, schemaVersion: 2 }));

      expect(decode)
        .to.throw(EventSchemaError)
        .with.property('message')
        .that.includes('metadata.schemaVersion (2, expected 1)');
    });

    it('decodes an event whose metadata is whole', function () {
      expect(codec.decode(stored(valid))).to.deep.equal({
        kind: 'event',
        event: { type: 'TenantRenamed', data: { displayName: 'Acme' } },
      });
    });
  });
});
