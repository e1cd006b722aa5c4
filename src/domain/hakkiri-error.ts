/**
 * The root of our typed errors. `code` is stable: the API maps it to a
 * problem type, and tests and operators match on it.
 */
export abstract class HakkiriError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
