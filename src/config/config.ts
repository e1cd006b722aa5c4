import { isIP } from 'node:net';
import path from 'node:path';

import { z } from 'zod';

import { ConfigError } from './config-error.js';
import {
  checkTransport,
  publicUrlOf,
  tlsFilesOf,
} from './transport-settings.js';
import type { TlsFiles } from './transport-settings.js';

export { ConfigError };

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

const base64Pattern =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** 32 random bytes as base64: the only form a master key may take. */
const masterKey = z
  .string()
  .trim()
  .regex(base64Pattern, 'must be base64')
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((key) => key.length === 32, 'must be 32 bytes, base64-encoded');

/** `90s`, `15m`, `1h`; `0` or `off` turns a schedule off. */
const duration = z
  .string()
  .trim()
  .regex(/^(off|0|\d+(ms|s|m|h))$/, 'must be a duration such as 15m, or off')
  .transform((text) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(text);
    if (!match) return 0;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]!]!;
    return Number(match[1]) * unit;
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
  HAKKIRI_TLS_CERT: z.string().optional(),
  HAKKIRI_TLS_KEY: z.string().optional(),
  HAKKIRI_TRUST_PROXY: z
    .stringbool({ error: 'must be true or false' })
    .default(false),
  HAKKIRI_BODY_LIMIT_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number')
    .min(1024, 'must be 1024 to 10485760')
    .max(10 * 1024 * 1024, 'must be 1024 to 10485760')
    .default(100 * 1024),
  HAKKIRI_EGRESS_IPS: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim()))
    .refine(
      (entries) => entries.every((entry) => isIP(entry) !== 0),
      'must be a comma-separated list of IPv4 or IPv6 addresses',
    )
    .optional(),
  HAKKIRI_PUBLIC_URL: z.string().optional(),
  HAKKIRI_SESSION_TTL_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number')
    .min(1, 'must be 1 to 1440')
    .max(1440, 'must be 1 to 1440')
    .default(15),
  HAKKIRI_SYNC_INTERVAL: duration.default(15 * 60_000),
  HAKKIRI_ALLOW_PRIVATE_TARGETS: z
    .stringbool({ error: 'must be true or false' })
    .default(false),
  HAKKIRI_WEBHOOK_BODY_LIMIT_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number')
    .min(1024, 'must be 1024 to 10485760')
    .max(10 * 1024 * 1024, 'must be 1024 to 10485760')
    .default(1024 * 1024),
  // Hakkiri promises customers that backups are gone after 90 days, so a
  // longer retention is refused rather than quietly honoured.
  HAKKIRI_SNAPSHOT_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number')
    .min(1, 'must be 1 to 90')
    .max(90, 'must be at most 90: snapshots are deleted after 90 days')
    .default(90),
  HAKKIRI_MASTER_KEY: masterKey.optional(),
  HAKKIRI_MASTER_KEY_PREVIOUS: z
    .string()
    .transform((list) => list.split(','))
    .pipe(z.array(masterKey))
    .optional(),
  HAKKIRI_SESSION_SECRET: z
    .string()
    .regex(base64Pattern, 'must be base64')
    .transform((text) => Buffer.from(text, 'base64'))
    .refine((secret) => secret.length >= 32, 'must hold at least 32 bytes')
    .optional(),
});

type Environment = z.output<typeof environmentSchema>;

/** A SQLite file, or a MongoDB database. */
export type DocumentStoreSettings =
  { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string };

export interface Config {
  environment: 'development' | 'test' | 'production';
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  eventStore:
    { kind: 'sqlite'; file: string } | { kind: 'eventstoredb'; url: string };
  readStore: DocumentStoreSettings;
  /** Present when the server itself speaks HTTPS. */
  tls: TlsFiles | undefined;
  /** A TLS-terminating proxy is in front and sets X-Forwarded-*. */
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** The addresses customers' firewalls must allow, shown to tenants. */
  egressAddresses: string[];
  /** Where clients reach the API; webhook URLs are built on it. */
  publicUrl: string;
  sessionTtlMinutes: number;
  /** How often each active connection syncs; 0 for only on demand. */
  syncIntervalMs: number;
  /**
   * Lets connections reach private and loopback addresses: for a local
   * stub in tests, never for customers.
   */
  allowPrivateTargets: boolean;
  /** The largest webhook delivery accepted. */
  webhookBodyLimitBytes: number;
  /** How long a snapshot is kept before it is deleted for good. */
  snapshotRetentionDays: number;
  /**
   * Signs session tokens. Absent outside production, where the identity
   * code keeps a development secret in the data folder instead.
   */
  sessionSecret?: Buffer;
  /**
   * Wraps the tenants' keys. Absent outside production, where a
   * development key in the data folder is used instead.
   */
  masterKey?: Buffer;
  /** Older master keys, still unwrapping until a rotation re-wraps. */
  previousMasterKeys: Buffer[];
  keyStore: DocumentStoreSettings;
  /** Where snapshot copies are kept: apart from the read models. */
  snapshotStore: DocumentStoreSettings;
  /** What commands keep between requests; beside the read models. */
  commandStateStore: DocumentStoreSettings;
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
  const tls = tlsFilesOf(vars.HAKKIRI_TLS_CERT, vars.HAKKIRI_TLS_KEY);
  checkTransport({
    host: vars.HAKKIRI_HOST,
    tls,
    trustProxy: vars.HAKKIRI_TRUST_PROXY,
  });

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
    tls,
    trustProxy: vars.HAKKIRI_TRUST_PROXY,
    bodyLimitBytes: vars.HAKKIRI_BODY_LIMIT_BYTES,
    egressAddresses: vars.HAKKIRI_EGRESS_IPS ?? [],
    publicUrl: publicUrlOf({
      given: vars.HAKKIRI_PUBLIC_URL,
      production: vars.NODE_ENV === 'production',
      host: vars.HAKKIRI_HOST,
      port: vars.HAKKIRI_PORT,
      tls,
    }),
    sessionTtlMinutes: vars.HAKKIRI_SESSION_TTL_MINUTES,
    syncIntervalMs: vars.HAKKIRI_SYNC_INTERVAL,
    allowPrivateTargets: vars.HAKKIRI_ALLOW_PRIVATE_TARGETS,
    webhookBodyLimitBytes: vars.HAKKIRI_WEBHOOK_BODY_LIMIT_BYTES,
    snapshotRetentionDays: vars.HAKKIRI_SNAPSHOT_RETENTION_DAYS,
    sessionSecret: requiredInProduction(vars, 'HAKKIRI_SESSION_SECRET'),
    masterKey: requiredInProduction(vars, 'HAKKIRI_MASTER_KEY'),
    previousMasterKeys: vars.HAKKIRI_MASTER_KEY_PREVIOUS ?? [],
    // Apart from the data, in a file or database of its own.
    keyStore: vars.MONGODB_URL
      ? { kind: 'mongodb', url: vars.MONGODB_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'keys.sqlite') },
    snapshotStore: vars.MONGODB_URL
      ? { kind: 'mongodb', url: vars.MONGODB_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'snapshots.sqlite') },
    // Written by the request thread alone, while the projection thread
    // writes the read models: on SQLite, one writer a file.
    commandStateStore: vars.MONGODB_URL
      ? { kind: 'mongodb', url: vars.MONGODB_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'command-state.sqlite') },
  };
}

/** Secrets that development may make for itself, and production may not. */
function requiredInProduction(
  vars: Environment,
  name: 'HAKKIRI_SESSION_SECRET' | 'HAKKIRI_MASTER_KEY',
): Buffer | undefined {
  const secret = vars[name];
  if (secret === undefined && vars.NODE_ENV === 'production') {
    throw new ConfigError(name, 'is required in production');
  }

  return secret;
}

/** An empty variable means "not set", as in most shells' habits. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => (entry[1] ?? '').trim() !== '',
    ),
  );
}
