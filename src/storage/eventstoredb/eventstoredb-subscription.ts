import {
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type ReadPosition,
} from '@eventstore/db-client';
import type { Subscriber } from 'rxjs';

import type {
  RecordedEvent,
  SubscriptionMessage,
} from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { exactly, userEventAfter } from './event-mapping.js';
import {
  failureKind,
  isTransient,
  translateStoreError,
} from './translation.js';

export interface ResubscribeDelays {
  firstMs: number;
  maxMs: number;
}

/**
 * One subscription to $all that outlives the server going away: it
 * resubscribes after the last event it delivered, so nothing is lost and
 * nothing comes twice.
 */
export class LogFollower {
  private current: AllStreamSubscription | undefined;
  private resumeFrom: ReadPosition;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private caughtUp = false;
  private stopped = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly logger: Logger,
    private readonly delays: ResubscribeDelays,
    private last: bigint | undefined,
    private readonly subscriber: Subscriber<SubscriptionMessage>,
  ) {
    this.resumeFrom = last === undefined ? START : exactly(last);
  }

  start(): void {
    this.timer = undefined;
    if (this.stopped) return;

    const subscription = this.client.subscribeToAll({
      fromPosition: this.resumeFrom,
      filter: excludeSystemEvents(),
    });
    this.current = subscription;
    subscription.on('confirmation', () => (this.failures = 0));
    subscription.on('data', (resolved: AllStreamResolvedEvent) =>
      this.deliver(resolved),
    );
    subscription.on('caughtUp', () => this.reachHead());
    subscription.on('error', (error) => this.recover(subscription, error));
    subscription.on('end', () => this.recover(subscription, undefined));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.cancel();
  }

  complete(): void {
    this.stop();
    this.subscriber.complete();
  }

  private deliver(resolved: AllStreamResolvedEvent): void {
    if (this.stopped) return;

    let event: RecordedEvent | undefined;
    try {
      event = userEventAfter(resolved, this.last);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!event) return;

    this.last = event.position;
    this.resumeFrom = exactly(event.position);
    this.subscriber.next({ kind: 'event', event });
  }

  private reachHead(): void {
    if (this.caughtUp || this.stopped) return;

    this.caughtUp = true;
    this.subscriber.next({ kind: 'caught-up', position: this.last });
  }

  private recover(subscription: AllStreamSubscription, error: unknown): void {
    if (this.stopped || subscription !== this.current) return;
    this.cancel();

    if (error !== undefined && !isTransient(error)) {
      this.fail(error);
      return;
    }

    const retryInMs = Math.min(
      this.delays.firstMs * 2 ** this.failures,
      this.delays.maxMs,
    );
    this.failures += 1;
    this.logger.warn(
      { attempt: this.failures, retryInMs, failure: failureKind(error) },
      'EventStoreDB subscription lost; resubscribing',
    );
    this.timer = setTimeout(() => this.start(), retryInMs);
  }

  private fail(error: unknown): void {
    this.stop();
    this.subscriber.error(translateStoreError(error));
  }

  private cancel(): void {
    const subscription = this.current;
    this.current = undefined;
    subscription?.unsubscribe().catch(() => undefined);
  }
}
