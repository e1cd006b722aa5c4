import { CorruptEventError } from '../../ports/errors.js';
import type {
  EventData,
  EventMetadata,
  RecordedEvent,
} from '../../ports/event-store.js';

/** A row of the events table, read with safe integers. */
export interface EventRow {
  position: bigint;
  id: string;
  stream_name: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: bigint;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamName: row.stream_name,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: parseObject(row, row.data, 'data') as EventData,
    metadata: parseObject(row, row.metadata, 'metadata') as EventMetadata,
    recordedAt: new Date(Number(row.recorded_at)),
  };
}

function parseObject(row: EventRow, text: string, column: string): object {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptEventError(
      row.stream_name,
      row.revision,
      `${column} is not JSON`,
      { cause: error },
    );
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptEventError(
      row.stream_name,
      row.revision,
      `${column} is not a JSON object`,
    );
  }

  return value;
}
