import { HakkiriError } from './hakkiri-error.js';

/**
 * A command the domain refuses. `kind` tells the API how to answer without
 * knowing every error: the thing is missing, it conflicts with what exists,
 * or the command itself is invalid.
 */
export class DomainError extends HakkiriError {
  constructor(
    readonly code: string,
    readonly kind: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
