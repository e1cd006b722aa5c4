import { HakkiriError } from '../domain/hakkiri-error.js';
import type { ReadStore } from '../ports/read-store.js';
import { Checkpoints } from './checkpoints.js';

/** A read model did not reach a write in time; asking again may work. */
export class ReadModelLagError extends HakkiriError {
  readonly code = 'read_model_lagging';

  constructor(readonly projection: string) {
    super(`Projection ${projection} has not caught up yet`);
  }
}

export interface WatermarkOptions {
  pollMs?: number;
  timeoutMs?: number;
}

/**
 * Waits until a projection has applied a write, so that a command's
 * answer and the next query agree: after logout the token is refused,
 * after creating a user they can log in. It reads the stored checkpoint,
 * so it works whichever process runs the projection.
 */
export class ProjectionWatermark {
  private readonly checkpoints: Checkpoints;
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(store: ReadStore, options: WatermarkOptions = {}) {
    this.checkpoints = new Checkpoints(store);
    this.pollMs = options.pollMs ?? 5;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** Resolves at once for a write that appended nothing. */
  async reached(projection: string, position: bigint | undefined) {
    if (position === undefined) return;
    const deadline = Date.now() + this.timeoutMs;

    for (;;) {
      const { position: applied } = await this.checkpoints.load(projection);
      if (applied !== undefined && applied >= position) return;
      if (Date.now() >= deadline) throw new ReadModelLagError(projection);

      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}
