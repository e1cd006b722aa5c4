interface Pending<Request, Result> {
  request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export type Outcome<Result> =
  { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Collects the requests that arrive within one turn of the event loop and
 * hands them to `commit` together, so that many concurrent writers share
 * one transaction and one fsync. Each request still gets its own outcome.
 */
export class GroupCommit<Request, Result> {
  private queue: Pending<Request, Result>[] = [];
  private scheduled = false;

  constructor(
    private readonly commit: (
      requests: readonly Request[],
    ) => Outcome<Result>[],
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Commits whatever is queued now, without waiting for the next turn. */
  flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    if (batch.length === 0) return;

    let outcomes: Outcome<Result>[];
    try {
      outcomes = this.commit(batch.map((pending) => pending.request));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }

    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  private schedule(): void {
    if (this.scheduled) return;

    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
