import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Keyring } from '../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../src/crypto/master-key.js';
import { TenantEncryption } from '../src/crypto/tenant-encryption.js';
import { silentLogger } from '../src/logger.js';
import { SqliteEventStore } from '../src/storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../src/storage/sqlite/sqlite-key-store.js';
import { measureAppends, storedDataBytes } from './crypto/append-runs.js';
import { cipherSlices, textOfBytes } from './crypto/cipher-runs.js';
import { printCryptoReport } from './crypto/crypto-report.js';
import type { CryptoResults } from './crypto/crypto-report.js';
import {
  benchTenantId,
  contentFields,
  workItemPolicy,
} from './crypto/sealed-events.js';
import { readSettings } from './crypto/settings.js';
import type { Settings } from './crypto/settings.js';
import { interleave } from './measure.js';
import type { RunOptions } from './measure.js';

const valueSizes = [256, 4096];
const writers = 64;

const address = {
  tenantId: benchTenantId,
  record: 'work-item-1',
  field: 'data.summary',
};

function progress(line: string): void {
  console.log(`  ${line}`);
}

/** A keyring as the service builds one, over a key store of its own. */
async function withEncryption<T>(
  dir: string,
  work: (encryption: TenantEncryption) => Promise<T>,
): Promise<T> {
  const keys = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
  const masterKeys = new MasterKeys(new LocalMasterKey(randomBytes(32)));
  const keyring = new Keyring(keys, masterKeys);

  try {
    await keyring.createTenantKeys(benchTenantId);
    return await work(new TenantEncryption(keyring));
  } finally {
    await keys.close();
  }
}

function openStore(dir: string, name: string): SqliteEventStore {
  return new SqliteEventStore({
    file: path.join(dir, name),
    logger: silentLogger(),
  });
}

async function measureCiphers(
  encryption: TenantEncryption,
  run: RunOptions,
): Promise<Pick<CryptoResults, 'ciphers' | 'cipherCore'>> {
  const slices = await Promise.all(
    valueSizes.map((bytes) =>
      cipherSlices(encryption.cipher, address, textOfBytes(bytes)),
    ),
  );
  progress(
    `field cipher: ${slices.length * 4} measurements, ${run.rounds} ` +
      'rounds each, taken in turn',
  );

  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const sampled = await interleave(
    slices.flatMap((s) => [s.encrypt, s.rawSeal, s.decrypt, s.rawOpen]),
    run,
  );
  const { user, system } = process.cpuUsage(cpuStart);

  const ciphers = valueSizes.map((bytes, i) => ({
    bytes,
    encrypt: sampled[i * 4]!,
    rawSeal: sampled[i * 4 + 1]!,
    decrypt: sampled[i * 4 + 2]!,
    rawOpen: sampled[i * 4 + 3]!,
  }));
  const cipherCore = {
    cpuSeconds: (user + system) / 1e6,
    wallSeconds: (performance.now() - wallStart) / 1000,
  };

  return { ciphers, cipherCore };
}

async function measureStores(
  dir: string,
  encryption: TenantEncryption,
  { append: run, sealedFields }: Settings,
) {
  const plain = openStore(dir, 'plain.sqlite');
  const inner = openStore(dir, 'sealed.sqlite');
  const sealed = encryption.events(inner, workItemPolicy(sealedFields));
  progress(`appends: 4 measurements, ${run.rounds} rounds each, taken in turn`);

  try {
    const appends = await measureAppends(plain, sealed, writers, run);
    const storedBytes = {
      clear: await storedDataBytes(plain, 'writer-0'),
      sealed: await storedDataBytes(inner, 'writer-0'),
    };

    return { appends, storedBytes };
  } finally {
    await plain.close();
    await sealed.close();
  }
}

function printHeader(dir: string, settings: Settings): void {
  const { cipher, append, sealedFields } = settings;
  const cpus = os.cpus();
  const each = (run: RunOptions) =>
    `${run.warmupMs / 1000} s warm-up + ${run.durationMs / 1000} s each`;

  console.log(
    [
      'Field encryption benchmark (AES-256-GCM)',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `files in ${dir}`,
      `field cipher: ${each(cipher)}, on one thread; string values of`,
      `  ${valueSizes.join(' and ')} bytes, one awaited call per value, ` +
        'keys from the keyring cache;',
      "  raw: createCipheriv over the value's bytes and as long an AAD,",
      '  a randomBytes nonce each, no encoding',
      `appends: ${each(append)}; the store benchmark's 1 writer and`,
      `  ${writers} writers (group commit), SqliteEventStore alone and ` +
        'inside EncryptingEventStore;',
      `  work-item events with ${sealedFields} of their content fields ` +
        'sealed',
      `  (${contentFields.join(', ')}; 100 B each)`,
      '',
    ].join('\n'),
  );
}

async function measure(dir: string, settings: Settings) {
  return withEncryption(dir, async (encryption) => ({
    ...(await measureCiphers(encryption, settings.cipher)),
    ...(await measureStores(dir, encryption, settings)),
    sealedFields: settings.sealedFields,
  }));
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-crypto-'));

  try {
    printHeader(dir, settings);
    printCryptoReport(await measure(dir, settings));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
