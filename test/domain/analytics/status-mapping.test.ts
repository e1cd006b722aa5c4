import { DomainError } from '../../../src/domain/domain-error.js';
import { statusMappingDecider } from '../../../src/domain/analytics/status-mapping.js';
import type {
  StatusMappingEvent,
  StatusRule,
} from '../../../src/domain/analytics/status-mapping-events.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(statusMappingDecider);

const review: StatusRule = {
  status: 'In Review',
  stage: 'in_progress',
  excludeFromThroughput: false,
};
const wontDo: StatusRule = {
  status: "Won't Do",
  stage: 'done',
  excludeFromThroughput: true,
};

const set = (statuses: StatusRule[]): StatusMappingEvent => ({
  type: 'StatusMappingSet',
  data: { statuses },
});

describe('status mapping decider', function () {
  it('records a mapping, trimmed and in name order', function () {
    spec
      .given([])
      .when({
        type: 'SetStatusMapping',
        statuses: [wontDo, { ...review, status: '  In Review ' }],
      })
      .then([set([review, wontDo])]);
  });

  it('records nothing for the mapping it already has', function () {
    spec
      .given([set([review, wontDo])])
      .when({ type: 'SetStatusMapping', statuses: [wontDo, review] })
      .then([]);
  });

  it('records an empty mapping, which restores Jira’s categories', function () {
    spec
      .given([set([review])])
      .when({ type: 'SetStatusMapping', statuses: [] })
      .then([set([])]);
  });

  it('refuses a status mapped twice, whatever the case', function () {
    spec
      .given([])
      .when({
        type: 'SetStatusMapping',
        statuses: [review, { ...review, status: 'in review', stage: 'todo' }],
      })
      .thenThrows(DomainError, 'status_mapping_invalid');
  });

  it('refuses to exclude a status that is not done from throughput', function () {
    spec
      .given([])
      .when({
        type: 'SetStatusMapping',
        statuses: [{ ...review, excludeFromThroughput: true }],
      })
      .thenThrows(DomainError, 'status_mapping_invalid');
  });

  it('refuses a blank name', function () {
    spec
      .given([])
      .when({
        type: 'SetStatusMapping',
        statuses: [{ ...review, status: ' ' }],
      })
      .thenThrows(DomainError, 'status_mapping_invalid');
  });
});
