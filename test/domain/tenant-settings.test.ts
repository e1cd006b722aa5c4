import { expect } from 'chai';

import { DomainError } from '../../src/domain/domain-error.js';
import { tenantSettingsDecider } from '../../src/domain/tenant/tenant-settings.js';
import { canonicalTimeZone } from '../../src/domain/tenant/time-zone.js';
import { deciderSpecification } from '../support/decider-specification.js';

const spec = deciderSpecification(tenantSettingsDecider);

describe('tenant settings decider', function () {
  it('sets an IANA time zone', function () {
    spec
      .given([])
      .when({ type: 'SetTimeZone', timeZone: 'Europe/Helsinki' })
      .then([
        { type: 'TenantTimeZoneSet', data: { timeZone: 'Europe/Helsinki' } },
      ]);
  });

  it('records nothing for UTC at first, or for the zone already set', function () {
    spec.given([]).when({ type: 'SetTimeZone', timeZone: 'UTC' }).then([]);
    spec
      .given([
        { type: 'TenantTimeZoneSet', data: { timeZone: 'Asia/Kolkata' } },
      ])
      .when({ type: 'SetTimeZone', timeZone: 'Asia/Kolkata' })
      .then([]);
  });

  it('refuses offsets and names the time zone database does not know', function () {
    for (const timeZone of ['+02:00', 'GMT+2', 'Mars/Olympus_Mons', '']) {
      spec
        .given([])
        .when({ type: 'SetTimeZone', timeZone })
        .thenThrows(DomainError, 'time_zone_unknown');
    }
  });
});

describe('canonicalTimeZone', function () {
  it('corrects the case of a name, and keeps a current one as given', function () {
    expect(canonicalTimeZone('europe/helsinki')).to.equal('Europe/Helsinki');
    expect(canonicalTimeZone('utc')).to.equal('UTC');
    expect(canonicalTimeZone('Asia/Kolkata')).to.equal('Asia/Kolkata');
  });
});
