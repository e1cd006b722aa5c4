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
import { openStores } from '../main.js';

const usage = `Usage:
  hakkiri tenant create --slug <slug> --name <display name> --admin <username>

The admin's password comes from HAKKIRI_ADMIN_PASSWORD; when it is unset,
one is generated and printed once.`;

/** An answer for the operator, printed without a stack trace. */
class UsageError extends HakkiriError {
  readonly code = 'usage';
}

async function main(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  if (noun !== 'tenant' || verb !== 'create') throw new UsageError(usage);

  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn', fd: 2 });
  await createTenant(config, logger, rest);

  return 0;
}

/** Creates the tenant, then its first admin, then says how to log in. */
async function createTenant(config: Config, logger: Logger, args: string[]) {
  const options = tenantOptions(args);
  const given = process.env.HAKKIRI_ADMIN_PASSWORD;
  const password = given || randomBytes(18).toString('base64url');
  // Checked before anything is written, so a refusal leaves no tenant
  // without an admin behind.
  const problem = passwordProblem(password, options.admin);
  if (problem) throw new UsageError(`HAKKIRI_ADMIN_PASSWORD ${problem}`);

  const stores = await openStores(config, logger);
  try {
    const { tenantId } = await new TenantAdministration(
      stores.eventStore,
      logger,
    ).create(
      {
        slug: options.slug,
        displayName: options.name,
        egressAddresses: config.egressAddresses,
      },
      'cli',
    );
    await new UserAdministration({
      store: stores.eventStore,
      logger,
      hasher: new Argon2PasswordHasher(),
      directory: new IdentityDirectory(stores.readStore),
    }).create(
      { tenantId, requestId: 'cli' },
      { username: options.admin, password, role: 'admin' },
    );
  } finally {
    await stores.close();
  }

  process.stdout.write(
    `Created tenant ${options.slug} with admin ${options.admin}.\n`,
  );
  if (!given)
    process.stdout.write(`Admin password (shown once): ${password}\n`);
}

function tenantOptions(args: string[]) {
  const { slug, name, admin } = parsedOptions(args);
  if (!slug || !name || !admin) throw new UsageError(usage);
  if (!usernameSchema.safeParse(admin).success) {
    throw new UsageError('--admin must be letters, digits and . _ @ + -');
  }

  return { slug, name, admin };
}

function parsedOptions(args: string[]) {
  try {
    const { values } = parseArgs({
      args,
      options: {
        slug: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'string' },
      },
    });
    return values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
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
