#!/usr/bin/env -S node --import tsx
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { TenantAdministration } from '../commands/identity/tenant-administration.js';
import { UserAdministration } from '../commands/identity/user-administration.js';
import { ConfigError, loadConfig } from '../config/config.js';
import type { Config } from '../config/config.js';
import { Argon2PasswordHasher } from '../crypto/argon2-password-hasher.js';
import { HakkiriError } from '../domain/hakkiri-error.js';
import {
  usernameSchema,
  passwordProblem,
} from '../domain/identity/username.js';
import { createLogger } from '../logger.js';
import type { Logger } from '../ports/logger.js';
import { IdentityDirectory } from '../projections/identity/identity-directory.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { retention } from '../service-api.js';
import { openStores } from '../service-stores.js';
import type { OpenStores } from '../service-stores.js';

const usage = `Usage:
  hakkiri tenant create --slug <slug> --name <display name> --admin <username>
  hakkiri tenant delete --slug <slug> --confirm
  hakkiri keys rotate --slug <slug>
  hakkiri keys rotate-master
  hakkiri retention sweep

tenant create: the admin's password comes from HAKKIRI_ADMIN_PASSWORD;
  when it is unset, one is generated and printed once.
tenant delete: deletes the tenant's keys, so none of its data can be read
  again, anywhere. There is no undo.
keys rotate: new data of the tenant is sealed with a new data key.
keys rotate-master: re-wraps every key with HAKKIRI_MASTER_KEY; give the
  old key in HAKKIRI_MASTER_KEY_PREVIOUS.
retention sweep: deletes for good the snapshots past their retention, and
  expired sessions and webhook dedupe entries. The service runs it hourly.`;

/** An answer for the operator, printed without a stack trace. */
class UsageError extends HakkiriError {
  readonly code = 'usage';
}

type Command = (stores: OpenStores, ctx: CommandContext) => Promise<string>;

interface CommandContext {
  config: Config;
  logger: Logger;
  options: Options;
}

const commands: Record<string, { run: Command; required: OptionName[] }> = {
  'tenant create': { run: createTenant, required: ['slug', 'name', 'admin'] },
  'tenant delete': { run: deleteTenant, required: ['slug', 'confirm'] },
  'keys rotate': { run: rotateDataKey, required: ['slug'] },
  'keys rotate-master': { run: rotateMasterKey, required: [] },
  'retention sweep': { run: sweepRetention, required: [] },
};

async function main(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  const command = commands[`${noun} ${verb}`];
  if (!command) throw new UsageError(usage);
  const options = parsedOptions(rest, command.required);
  checkAdminName(options);

  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn', fd: 2 });
  const stores = await openStores(config, logger);
  let said: string;
  try {
    said = await command.run(stores, { config, logger, options });
  } finally {
    await stores.close();
  }

  process.stdout.write(`${said}\n`);
  return 0;
}

/** Creates the tenant, then its first admin, then says how to log in. */
async function createTenant(
  stores: OpenStores,
  { config, logger, options }: CommandContext,
): Promise<string> {
  const { slug, name, admin } = options as Required<Options>;
  const given = process.env.HAKKIRI_ADMIN_PASSWORD;
  const password = given || randomBytes(18).toString('base64url');
  // Checked before anything is written, so a refusal leaves no tenant
  // without an admin behind.
  const problem = passwordProblem(password, admin);
  if (problem) throw new UsageError(`HAKKIRI_ADMIN_PASSWORD ${problem}`);

  const { tenantId } = await tenantAdministration(stores, logger).create(
    { slug, displayName: name, egressAddresses: config.egressAddresses },
    'cli',
  );
  await new UserAdministration({
    store: stores.eventStore,
    logger,
    hasher: new Argon2PasswordHasher(),
    blindIndex: stores.encryption.blindIndex,
    directory: new IdentityDirectory(stores.readStore),
  }).create(
    { tenantId, requestId: 'cli' },
    { username: admin, password, role: 'admin' },
  );

  const created = `Created tenant ${slug} with admin ${admin}.`;
  return given
    ? created
    : `${created}\nAdmin password (shown once): ${password}`;
}

async function deleteTenant(
  stores: OpenStores,
  { logger, options }: CommandContext,
): Promise<string> {
  const slug = options.slug!;
  const deletion = await tenantAdministration(stores, logger).delete(
    slug,
    'cli',
  );

  return deletion.kind === 'already-shredded'
    ? `Tenant ${slug} was already deleted; its keys are gone.`
    : `Deleted tenant ${slug} (${deletion.tenantId}): ` +
        `${deletion.keysDeleted} keys destroyed; its data cannot be read.`;
}

async function rotateDataKey(
  stores: OpenStores,
  { logger, options }: CommandContext,
): Promise<string> {
  const slug = options.slug!;
  const tenantId = await tenantAdministration(stores, logger).activeId(slug);
  const version = await stores.encryption.keyring.rotateDataKey(tenantId);

  return `Tenant ${slug} now seals new data with data key version ${version}.`;
}

async function rotateMasterKey(stores: OpenStores): Promise<string> {
  const rewrapped = await stores.encryption.keyring.rotateMasterKey();

  return `Re-wrapped ${rewrapped} keys with the current master key.`;
}

/**
 * The same sweep the service runs each hour. It reads which snapshots
 * expired from the read models the service keeps; each purge is then
 * checked against the snapshot's own events.
 */
async function sweepRetention(
  stores: OpenStores,
  { config, logger }: CommandContext,
): Promise<string> {
  const runner = new ProjectionRunner({
    eventStore: stores.eventStore,
    readStore: stores.readStore,
    logger,
    projections: stores.serviceProjections.all,
  });
  const { sweep } = retention({ ...stores, config, logger, runner });
  const report = await sweep.sweep();

  const others = Object.entries(report.purged)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
  return `Purged ${report.snapshotsPurged} expired snapshots; removed ${others}.`;
}

function tenantAdministration(stores: OpenStores, logger: Logger) {
  return new TenantAdministration({
    store: stores.eventStore,
    logger,
    keys: stores.encryption.keyring,
    blindIndex: stores.encryption.blindIndex,
  });
}

const optionTypes = {
  slug: { type: 'string' },
  name: { type: 'string' },
  admin: { type: 'string' },
  confirm: { type: 'boolean' },
} as const;

type OptionName = keyof typeof optionTypes;

interface Options {
  slug?: string;
  name?: string;
  admin?: string;
  confirm?: boolean;
}

function parsedOptions(args: string[], required: OptionName[]): Options {
  let values: Options;
  try {
    ({ values } = parseArgs({ args, options: optionTypes }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }

  const missing = required.filter((name) => !values[name]);
  if (missing.length > 0) {
    const flags = missing.map((name) => `--${name}`).join(', ');
    throw new UsageError(`Missing ${flags}\n\n${usage}`);
  }

  return values;
}

function checkAdminName({ admin }: Options): void {
  if (admin !== undefined && !usernameSchema.safeParse(admin).success) {
    throw new UsageError('--admin must be letters, digits and . _ @ + -');
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`hakkiri: ${describe(error)}\n`);
    process.exit(
      error instanceof ConfigError || error instanceof UsageError ? 2 : 1,
    );
  },
);

function describe(error: unknown): string {
  if (error instanceof ConfigError) {
    return `invalid configuration: ${error.message}`;
  }

  return error instanceof HakkiriError ? error.message : String(error);
}
