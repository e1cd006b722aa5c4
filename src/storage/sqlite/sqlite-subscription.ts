import { Observable } from 'rxjs';

import type { SubscriptionMessage } from '../../ports/event-store.js';

/** An event of the log as a subscription passes it on. */
export type LogEntry = Exclude<SubscriptionMessage, { kind: 'caught-up' }>;

export interface PollingSubscriptionOptions {
  after: bigint | undefined;
  /** Reads the next page of the log after a position; empty at the head. */
  readPage(after: bigint): LogEntry[];
  /**
   * Fires when this process has appended, so the wait can end early;
   * completes when the store closes.
   */
  wakeUps: Observable<void>;
  /** Appends by other processes are only seen by polling. */
  pollIntervalMs: number;
}

/**
 * Follows the global log page by page. Between pages it yields to the
 * event loop, so a long catch-up does not starve the process; at the head
 * it waits for a wake-up or the next poll.
 */
export function pollingSubscription({
  after,
  readPage,
  wakeUps,
  pollIntervalMs,
}: PollingSubscriptionOptions): Observable<SubscriptionMessage> {
  return new Observable<SubscriptionMessage>((subscriber) => {
    let last = after;
    let caughtUp = false;
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;

    const next = () => {
      immediate = undefined;
      timer = undefined;

      let page: LogEntry[];
      try {
        page = readPage(last ?? 0n);
      } catch (error) {
        subscriber.error(error);
        return;
      }

      for (const entry of page) {
        if (subscriber.closed) return;
        subscriber.next(entry);
        last = entry.kind === 'event' ? entry.event.position : entry.position;
      }

      if (page.length > 0) {
        immediate = setImmediate(next);
        return;
      }
      if (!caughtUp) {
        caughtUp = true;
        subscriber.next({ kind: 'caught-up', position: last });
      }
      timer = setTimeout(next, pollIntervalMs);
    };

    const stop = () => {
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    };

    // The store completes its wake-ups when it closes, and so does every
    // subscription, rather than polling a closed database.
    const wake = wakeUps.subscribe({
      next: () => {
        if (timer === undefined) return;

        clearTimeout(timer);
        timer = undefined;
        immediate = setImmediate(next);
      },
      complete: () => {
        stop();
        subscriber.complete();
      },
    });

    immediate = setImmediate(next);

    return () => {
      wake.unsubscribe();
      stop();
    };
  });
}
