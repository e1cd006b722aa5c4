import type { Logger as PinoLogger } from 'pino';

/**
 * The one structured logger, created at the composition root and handed to
 * whatever needs it. Never log secrets or customer content through it.
 */
export type Logger = PinoLogger;
