/**
 * Every answer to a delivery the bench sent, warm-ups included: the
 * target is that no valid delivery gets anything but a 2xx, and each one
 * is a new fact, so each 202 should say `recorded`.
 */
export class DeliveryTally {
  readonly statuses = new Map<string, number>();
  readonly outcomes = new Map<string, number>();

  readonly record = (status: number, body: string): void => {
    add(this.statuses, String(status));
    if (status === 202) add(this.outcomes, outcomeOf(body));
  };

  get answered(): number {
    return [...this.statuses.values()].reduce((sum, n) => sum + n, 0);
  }

  get refused(): number {
    return [...this.statuses].reduce(
      (sum, [status, n]) => (status.startsWith('2') ? sum : sum + n),
      0,
    );
  }
}

function add(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function outcomeOf(body: string): string {
  try {
    const outcome = (JSON.parse(body) as { outcome?: unknown }).outcome;
    return typeof outcome === 'string' ? outcome : 'no outcome';
  } catch {
    return 'not JSON';
  }
}
