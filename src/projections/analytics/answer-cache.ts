/**
 * Answers already worked out, by what they were worked out from. A key
 * names the tenant's generation and the last position applied to it, so
 * any write to what a query reads makes a new key: an answer is reused
 * only while the read models are exactly as they were. Each process has
 * its own; the oldest used answers go first beyond `limit`.
 */
export class AnswerCache {
  private readonly answers = new Map<string, Promise<unknown>>();

  constructor(private readonly limit: number) {}

  /** The answer for the key, worked out by `work` if there is none. */
  answer<Answer>(key: string, work: () => Promise<Answer>): Promise<Answer> {
    if (this.limit <= 0) return work();

    const known = this.answers.get(key) as Promise<Answer> | undefined;
    if (known) {
      this.answers.delete(key);
      this.answers.set(key, known);
      return known;
    }

    const answer = work();
    this.answers.set(key, answer);
    // A failed answer is not kept: the next ask works it out again.
    answer.catch(() => this.answers.delete(key));
    if (this.answers.size > this.limit) {
      this.answers.delete(this.answers.keys().next().value!);
    }

    return answer;
  }
}
