import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import { defaultTimeZone } from '../../domain/tenant/time-zone.js';
import type {
  AnalyticsTenant,
  GenerationSettings,
} from './analytics-documents.js';

/** A tenant no settings were ever made for: generation 0, UTC, Jira's stages. */
export function newAnalyticsTenant(tenantId: string): AnalyticsTenant {
  const settings: GenerationSettings = {
    generation: 0,
    timeZone: defaultTimeZone,
  };

  return {
    tenantId,
    factEvents: 0,
    active: settings,
    activeMapping: [],
    requested: settings,
    requestedMapping: [],
    lastGeneration: 0,
    recomputing: false,
    recomputation: null,
    staleGenerations: [],
    pendingWork: false,
    appliedPosition: null,
  };
}

export interface SettingsChange {
  timeZone?: string;
  mapping?: StatusRule[];
}

/**
 * Asks for the tenant's numbers under new settings. A recomputation
 * builds them as a new generation while queries keep reading the active
 * one; one asked for earlier and not finished is abandoned. Asking for
 * the settings already active abandons it too, and asks for nothing.
 */
export function withSettings(
  tenant: AnalyticsTenant,
  change: SettingsChange,
): AnalyticsTenant {
  const timeZone = change.timeZone ?? tenant.requested.timeZone;
  const mapping = change.mapping ?? tenant.requestedMapping;
  const abandoned = tenant.recomputing ? [tenant.requested.generation] : [];
  const staleGenerations = [...tenant.staleGenerations, ...abandoned];

  const backToActive =
    timeZone === tenant.active.timeZone &&
    JSON.stringify(mapping) === JSON.stringify(tenant.activeMapping);
  if (backToActive) {
    return {
      ...tenant,
      requested: tenant.active,
      requestedMapping: tenant.activeMapping,
      recomputing: false,
      staleGenerations,
      pendingWork: staleGenerations.length > 0,
    };
  }

  const generation = tenant.lastGeneration + 1;
  return {
    ...tenant,
    requested: { generation, timeZone },
    requestedMapping: mapping,
    lastGeneration: generation,
    recomputing: true,
    staleGenerations,
    pendingWork: true,
  };
}
