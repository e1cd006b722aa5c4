import { performance } from 'node:perf_hooks';

import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';

/**
 * Groups a stream into batches of at most `size`, at most one per
 * `intervalMs` unless a batch is full. The first item after a quiet
 * spell is passed on at once, with whatever arrives in the same turn of
 * the event loop: a lone event, such as the session a login waits for,
 * is not held back for a window to fill. Items that follow within the
 * interval wait for its end and go together, so a busy log is applied in
 * few, large batches, each with one checkpoint. An item that `endsBatch`
 * passes everything held on at once, itself last: such as the mark that
 * a catch-up has reached the head of the log, after which nothing more
 * is coming to wait for.
 */
export function batches<T>(
  size: number,
  intervalMs: number,
  endsBatch: (item: T) => boolean = () => false,
): OperatorFunction<T, T[]> {
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let buffer: T[] = [];
      let lastBatchAt = -Infinity;
      let timer: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;

      function cancel(): void {
        if (timer) clearTimeout(timer);
        if (immediate) clearImmediate(immediate);
        timer = undefined;
        immediate = undefined;
      }

      function flush(): void {
        cancel();
        if (buffer.length === 0) return;

        const batch = buffer;
        buffer = [];
        lastBatchAt = performance.now();
        subscriber.next(batch);
      }

      function schedule(): void {
        if (timer || immediate) return;

        const wait = lastBatchAt + intervalMs - performance.now();
        if (wait > 0) timer = setTimeout(flush, wait);
        else immediate = setImmediate(flush);
      }

      const subscription = source.subscribe({
        next(item) {
          buffer.push(item);
          if (buffer.length >= size || endsBatch(item)) flush();
          else schedule();
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });

      return () => {
        cancel();
        subscription.unsubscribe();
      };
    });
}
