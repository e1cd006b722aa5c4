import { HakkiriError } from '../domain/hakkiri-error.js';

/** A setting the service cannot start with. The message names it. */
export class ConfigError extends HakkiriError {
  readonly code = 'invalid_config';

  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}
