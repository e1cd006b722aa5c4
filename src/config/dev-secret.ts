import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Logger } from '../ports/logger.js';

/**
 * A secret for development only: read from the data folder, or made there
 * on first use, readable by this user alone. Production configuration
 * must supply its secrets; config refuses to start without them.
 */
export function developmentSecret(
  secret: { dataDir: string; file: string; variable: string },
  logger: Logger,
): Buffer {
  const file = path.join(secret.dataDir, secret.file);

  if (fs.existsSync(file)) {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  }

  const bytes = randomBytes(32);
  fs.mkdirSync(secret.dataDir, { recursive: true });
  // 'wx' fails if another process made the file first; then use theirs.
  try {
    fs.writeFileSync(file, bytes.toString('base64'), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return developmentSecret(secret, logger);
  }
  logger.warn(
    { file },
    `${secret.variable} is not set: created a development secret in ` +
      `${file}. Production needs ${secret.variable}.`,
  );

  return bytes;
}
