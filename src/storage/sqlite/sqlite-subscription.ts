import { Observable } from 'rxjs';

import type { SubscriptionMessage } from '../../ports/event-store.js';

/** An event of the log as a subscription passes it on. */
export type LogEntry = Exclude<SubscriptionMessage, { kind: 'caught-up' }>;

/** The pages of the log, in order, for one subscriber. */
export interface LogPages {
  /** The next page of the log after a position; empty at the head. */
  next(after: bigint): Promise<LogEntry[]>;
}

export interface PollingSubscriptionOptions {
  after: bigint | undefined;
  /** Called once per subscriber: each has pages of its own. */
  openPages(): LogPages;
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
  openPages,
  wakeUps,
  pollIntervalMs,
}: PollingSubscriptionOptions): Observable<SubscriptionMessage> {
  return new Observable<SubscriptionMessage>((subscriber) => {
    const pages = openPages();
    let last = after;
    let caughtUp = false;
    let woken = false;
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;

    const next = async () => {
      immediate = undefined;
      timer = undefined;
      woken = false;

      let page: LogEntry[];
      try {
        page = await pages.next(last ?? 0n);
      } catch (error) {
        // A store closed during the read has completed this subscription.
        if (!subscriber.closed) subscriber.error(error);
        return;
      }

      for (const entry of page) {
        if (subscriber.closed) return;
        subscriber.next(entry);
        last = entry.kind === 'event' ? entry.event.position : entry.position;
      }

      if (subscriber.closed) return;
      if (page.length > 0) {
        immediate = setImmediate(next);
        return;
      }
      if (!caughtUp) {
        caughtUp = true;
        subscriber.next({ kind: 'caught-up', position: last });
      }
      // An append seen while the page was read may be past it.
      if (woken) immediate = setImmediate(next);
      else timer = setTimeout(next, pollIntervalMs);
    };

    const stop = () => {
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    };

    // The store completes its wake-ups when it closes, and so does every
    // subscription, rather than polling a closed database.
    const wake = wakeUps.subscribe({
      next: () => {
        woken = true;
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
