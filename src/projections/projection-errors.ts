import { HakkiriError } from '../domain/hakkiri-error.js';

export class UnknownProjectionError extends HakkiriError {
  readonly code = 'unknown_projection';

  constructor(readonly projection: string) {
    super(`There is no projection named ${projection}`);
  }
}

/** Two projections with one name would share, and fight over, a checkpoint. */
export class DuplicateProjectionError extends HakkiriError {
  readonly code = 'duplicate_projection';

  constructor(readonly projection: string) {
    super(`More than one projection is named ${projection}`);
  }
}

/** The projections could not be brought to one position in time. */
export class ProjectionsNotAlignedError extends HakkiriError {
  readonly code = 'projections_not_aligned';
}
