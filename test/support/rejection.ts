/**
 * What a promise rejected with, or undefined when it resolved, so a test
 * can assert on the error and fail plainly when nothing was thrown.
 */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
