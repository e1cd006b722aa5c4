import path from 'node:path';

import { z } from 'zod';

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

const logLevels = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/**
 * The options `@eventstore/db-client` 6.2 understands. It prints an unknown
 * key, or `tlsVerifyCert=false`, to the console with the whole connection
 * string, password included, so both are refused here instead.
 */
const eventStoreOptions = new Set([
  'connectionname',
  'defaultdeadline',
  'discoveryinterval',
  'dnsdiscover',
  'gossiptimeout',
  'keepaliveinterval',
  'keepalivetimeout',
  'maxdiscoverattempts',
  'nodepreference',
  'throwonappendfailure',
  'tls',
  'tlscafile',
  'tlsverifycert',
  'usercertfile',
  'userkeyfile',
]);

function eventStoreOptionProblem(url: string): string | undefined {
  const query = url.split('?')[1] ?? '';
  const pairs = query.split('&').filter((pair) => pair !== '');

  for (const pair of pairs) {
    const [key = '', value = ''] = pair.split('=');
    if (!eventStoreOptions.has(key.toLowerCase())) {
      return `unknown option ${key}`;
    }
    if (key.toLowerCase() === 'tlsverifycert' && value === 'false') {
      return 'tlsVerifyCert=false is not supported; give tlsCAFile instead';
    }
  }

  return undefined;
}

const eventStoreUrl = z
  .string()
  .regex(/^esdb(\+discover)?:\/\/[^/]+/, 'must be an esdb:// connection string')
  .superRefine((url, ctx) => {
    const problem = eventStoreOptionProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Each variable with its default and its check. */
const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development'),
  HAKKIRI_DATA_DIR: z.string().min(1).default('./data'),
  HAKKIRI_HOST: z.string().min(1).default('127.0.0.1'),
  HAKKIRI_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0 to 65535')
    .max(65535, 'must be 0 to 65535')
    .default(3000),
  HAKKIRI_LOG_LEVEL: z.enum(logLevels).default('info'),
  EVENTSTORE_URL: eventStoreUrl.optional(),
  MONGODB_URL: z
    .string()
    .regex(
      /^mongodb(\+srv)?:\/\/[^/]+/,
      'must be a mongodb:// connection string',
    )
    .optional(),
});

export interface Config {
  environment: 'development' | 'test' | 'production';
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  eventStore:
    { kind: 'sqlite'; file: string } | { kind: 'eventstoredb'; url: string };
  readStore:
    { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string };
}

/**
 * Reads the configuration from the environment. Values are never echoed
 * back, because some of them (connection strings) carry credentials.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = environmentSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }

  const vars = parsed.data;
  const dataDir = path.resolve(vars.HAKKIRI_DATA_DIR);

  return {
    environment: vars.NODE_ENV,
    dataDir,
    host: vars.HAKKIRI_HOST,
    port: vars.HAKKIRI_PORT,
    logLevel: vars.HAKKIRI_LOG_LEVEL,
    eventStore: vars.EVENTSTORE_URL
      ? { kind: 'eventstoredb', url: vars.EVENTSTORE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'events.sqlite') },
    readStore: vars.MONGODB_URL
      ? { kind: 'mongodb', url: vars.MONGODB_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'read-models.sqlite') },
  };
}

/** An empty variable means "not set", as in most shells' habits. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => (entry[1] ?? '').trim() !== '',
    ),
  );
}
