import type { RecordedEvent } from '../../ports/event-store.js';
import { eventsOfPage } from './log-page.js';
import type { PageText } from './log-page.js';
import type { LogEntry, LogPages } from './sqlite-subscription.js';

export interface LogReadAheadOptions {
  pageSize: number;
  /** Reads a page now, on this thread; its errors are the reader's. */
  readHere(after: bigint): RecordedEvent[];
  /** Reads a page elsewhere; undefined when it could not. Never rejects. */
  readAhead(after: bigint): Promise<PageText | undefined>;
  /** The types the reader asked for; the others pass by their position. */
  types?: ReadonlySet<string> | undefined;
}

/**
 * The pages of one reader of the log. A full page means more is waiting,
 * so the next page is asked for before this one is handed over, and it is
 * read while this one is applied. A page that could not be read ahead is
 * read here instead.
 */
export class LogReadAhead implements LogPages {
  private ahead: Promise<PageText | undefined> | undefined;

  constructor(private readonly options: LogReadAheadOptions) {}

  async next(after: bigint): Promise<LogEntry[]> {
    const ahead = this.ahead;
    this.ahead = undefined;

    const early = await ahead;
    const page =
      (early?.after === after ? eventsOfPage(early) : undefined) ??
      this.options.readHere(after);

    const last = page[page.length - 1];
    if (last && page.length >= this.options.pageSize) {
      this.ahead = this.options.readAhead(last.position);
    }

    return page.map((event) => this.entryOf(event));
  }

  private entryOf(event: RecordedEvent): LogEntry {
    const { types } = this.options;

    return types === undefined || types.has(event.type)
      ? { kind: 'event', event }
      : { kind: 'passed', position: event.position };
  }
}
