import { statusMappingDecider } from '../../domain/analytics/status-mapping.js';
import {
  statusMappingEvents,
  statusMappingStreamName,
} from '../../domain/analytics/status-mapping-events.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import { EventCodec } from '../../domain/event-codec.js';
import { tenantSettingsDecider } from '../../domain/tenant/tenant-settings.js';
import {
  tenantSettingsEvents,
  tenantSettingsStreamName,
} from '../../domain/tenant/tenant-settings-events.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { CommandHandler } from '../command-handler.js';
import { commandContext } from '../identity/identity-context.js';
import type { Requester } from '../identity/identity-context.js';

export interface AnalyticsSettingsDependencies {
  store: EventStore;
  logger: Logger;
}

/** A settings change, and where it landed in the log, if it changed anything. */
export interface SettingsChange {
  changed: boolean;
  position: bigint | undefined;
}

/**
 * The definitions a tenant's analytics are computed under: how status
 * names map to stages, and the time zone of its days and weeks. Either
 * change recomputes the tenant's analytics from the event log.
 */
export class AnalyticsSettings {
  private readonly mappings;
  private readonly settings;

  constructor(deps: AnalyticsSettingsDependencies) {
    this.mappings = new CommandHandler({
      decider: statusMappingDecider,
      codec: new EventCodec(statusMappingEvents),
      store: deps.store,
      logger: deps.logger,
    });
    this.settings = new CommandHandler({
      decider: tenantSettingsDecider,
      codec: new EventCodec(tenantSettingsEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  /** Throws DomainError `status_mapping_invalid` for a bad mapping. */
  async setStatusMapping(
    requester: Requester,
    statuses: StatusRule[],
  ): Promise<SettingsChange> {
    const result = await this.mappings.handle(
      statusMappingStreamName(requester.tenantId),
      { type: 'SetStatusMapping', statuses },
      commandContext(requester),
    );

    return { changed: result.events.length > 0, position: result.position };
  }

  /** Throws DomainError `time_zone_unknown` for a zone Intl does not know. */
  async setTimeZone(
    requester: Requester,
    timeZone: string,
  ): Promise<SettingsChange> {
    const result = await this.settings.handle(
      tenantSettingsStreamName(requester.tenantId),
      { type: 'SetTimeZone', timeZone },
      commandContext(requester),
    );

    return { changed: result.events.length > 0, position: result.position };
  }
}
