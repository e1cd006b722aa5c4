/**
 * Work to run once, such as making indexes: later calls share its
 * outcome, except after a failure, when the next call runs it again.
 */
export function untilDone(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;

  return () => {
    done ??= work().catch((error: unknown) => {
      done = undefined;
      throw error;
    });

    return done;
  };
}
