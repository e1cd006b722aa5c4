import { setTimeout as pause } from 'node:timers/promises';

import { expect } from 'chai';
import { Subject } from 'rxjs';

import { batches } from '../../src/projections/batches.js';

/** Items pushed into a batching stream, and the batches that came out. */
function batching(
  size: number,
  intervalMs: number,
  endsBatch?: (item: number) => boolean,
) {
  const items = new Subject<number>();
  const out: number[][] = [];
  const subscription = items
    .pipe(batches(size, intervalMs, endsBatch))
    .subscribe((batch) => out.push(batch));

  return { items, out, stop: () => subscription.unsubscribe() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('projection batches', function () {
  it('passes the first item after a quiet spell on within a turn', async function () {
    const { items, out, stop } = batching(100, 10_000);

    items.next(1);
    items.next(2);
    await turn();

    expect(out).to.deep.equal([[1, 2]]);
    stop();
  });

  it('holds what follows a batch until the interval has passed', async function () {
    const { items, out, stop } = batching(100, 60);

    items.next(1);
    await turn();
    items.next(2);
    items.next(3);
    await turn();
    expect(out, 'within the interval').to.deep.equal([[1]]);

    await pause(90);
    expect(out).to.deep.equal([[1], [2, 3]]);
    stop();
  });

  it('passes a full batch on at once, interval or not', async function () {
    const { items, out, stop } = batching(3, 10_000);

    items.next(1);
    await turn();
    for (const item of [2, 3, 4, 5]) items.next(item);

    expect(out).to.deep.equal([[1], [2, 3, 4]]);
    await pause(20);
    expect(out, 'the rest waits for the interval').to.have.length(2);
    stop();
  });

  it('passes what it holds on at once after an item that ends a batch', async function () {
    const { items, out, stop } = batching(100, 10_000, (item) => item < 0);

    items.next(1);
    await turn();
    items.next(2);
    items.next(-1);
    items.next(3);

    expect(out).to.deep.equal([[1], [2, -1]]);
    await turn();
    expect(out, 'what follows waits for the interval').to.have.length(2);
    stop();
  });

  it('passes what is left on when the stream completes', function () {
    const { items, out } = batching(100, 10_000);

    items.next(1);
    items.complete();

    expect(out).to.deep.equal([[1]]);
  });

  it('passes nothing on once unsubscribed', async function () {
    const { items, out, stop } = batching(100, 10_000);

    items.next(1);
    stop();
    await turn();

    expect(out).to.deep.equal([]);
  });
});
