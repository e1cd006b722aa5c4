import { DomainError } from '../../src/domain/domain-error.js';
import { tenantDecider } from '../../src/domain/tenant/tenant.js';
import type { TenantEvent } from '../../src/domain/tenant/tenant-events.js';
import { deciderSpecification } from '../support/decider-specification.js';

const spec = deciderSpecification(tenantDecider);

const created: TenantEvent = {
  type: 'TenantCreated',
  data: {
    tenantId: 't-1',
    slug: 'acme',
    slugIndex: 'ix-acme',
    displayName: 'Acme',
  },
};

const create = {
  type: 'CreateTenant' as const,
  tenantId: 't-1',
  slug: 'acme',
  slugIndex: 'ix-acme',
  displayName: 'Acme',
  egressAddresses: [],
};

describe('tenant decider', function () {
  describe('CreateTenant', function () {
    it('creates a tenant', function () {
      spec.given([]).when(create).then([created]);
    });

    it('assigns the egress addresses in the same append, sorted once', function () {
      spec
        .given([])
        .when({
          ...create,
          egressAddresses: ['203.0.113.9', '198.51.100.4', '203.0.113.9'],
        })
        .then([
          created,
          {
            type: 'EgressAddressesAssigned',
            data: { addresses: ['198.51.100.4', '203.0.113.9'] },
          },
        ]);
    });

    it('trims the display name', function () {
      spec
        .given([])
        .when({ ...create, displayName: '  Acme  ' })
        .then([created]);
    });

    it('refuses a tenant that already exists', function () {
      spec
        .given([created])
        .when(create)
        .thenThrows(DomainError, 'tenant_exists');
    });

    for (const slug of [
      '',
      'Acme',
      '-acme',
      'acme-',
      'ac me',
      'a'.repeat(64),
    ]) {
      it(`refuses the slug ${JSON.stringify(slug)}`, function () {
        spec
          .given([])
          .when({ ...create, slug })
          .thenThrows(DomainError, 'tenant_invalid');
      });
    }

    it('refuses an empty display name', function () {
      spec
        .given([])
        .when({ ...create, displayName: '   ' })
        .thenThrows(DomainError, 'tenant_invalid');
    });

    it('refuses an egress address that is not an IP address', function () {
      spec
        .given([])
        .when({ ...create, egressAddresses: ['egress.example.com'] })
        .thenThrows(DomainError, 'tenant_invalid');
    });
  });

  describe('RenameTenant', function () {
    it('renames the tenant', function () {
      spec
        .given([created])
        .when({ type: 'RenameTenant', displayName: 'Acme Ltd' })
        .then([{ type: 'TenantRenamed', data: { displayName: 'Acme Ltd' } }]);
    });

    it('does nothing when the name is unchanged', function () {
      spec
        .given([
          created,
          { type: 'TenantRenamed', data: { displayName: 'Acme Ltd' } },
        ])
        .when({ type: 'RenameTenant', displayName: 'Acme Ltd' })
        .then([]);
    });

    it('refuses a tenant that does not exist', function () {
      spec
        .given([])
        .when({ type: 'RenameTenant', displayName: 'Acme' })
        .thenThrows(DomainError, 'tenant_not_found');
    });
  });

  describe('AssignEgressAddresses', function () {
    const assigned: TenantEvent = {
      type: 'EgressAddressesAssigned',
      data: { addresses: ['2001:db8::1', '203.0.113.9'] },
    };

    it('assigns IPv4 and IPv6 addresses', function () {
      spec
        .given([created])
        .when({
          type: 'AssignEgressAddresses',
          addresses: ['203.0.113.9', '2001:db8::1'],
        })
        .then([assigned]);
    });

    it('does nothing when the set is unchanged', function () {
      spec
        .given([created, assigned])
        .when({
          type: 'AssignEgressAddresses',
          addresses: ['203.0.113.9', '2001:db8::1'],
        })
        .then([]);
    });

    it('refuses a tenant that does not exist', function () {
      spec
        .given([])
        .when({ type: 'AssignEgressAddresses', addresses: ['203.0.113.9'] })
        .thenThrows(DomainError, 'tenant_not_found');
    });
  });
});
