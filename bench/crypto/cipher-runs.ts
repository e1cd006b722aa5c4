import { randomBytes } from 'node:crypto';

import type { FieldCipher } from '../../src/crypto/field-cipher.js';
import type { FieldAddress } from '../../src/ports/value-sealer.js';
import { writerLoops } from '../measure.js';
import type { Slice } from '../measure.js';
import { rawOpen, rawSeal } from './raw-gcm.js';

/** Operations per step, so the loop's own clock reads cost nothing. */
const opsPerStep = 100;

/** The header the field cipher puts in its AAD: format and key version. */
const headerBytes = 5;

/** The four measurements of one value size. */
export interface CipherSlices {
  encrypt: Slice;
  rawSeal: Slice;
  decrypt: Slice;
  rawOpen: Slice;
}

/** Text of exactly `bytes` bytes in UTF-8, like a summary or a comment. */
export function textOfBytes(bytes: number): string {
  const words = 'the build fails on the release branch after the merge ';

  return words.repeat(Math.ceil(bytes / words.length)).slice(0, bytes);
}

/**
 * Times a slice by the CPU time of the process instead of the wall clock.
 * The machine is shared, so the thread is off its core part of the time;
 * ops per CPU-second are ops per second of one core. GC threads count
 * too, so the rate errs low.
 */
function onCpuClock(slice: Slice): Slice {
  return async (ms) => {
    const start = process.cpuUsage();
    const { count } = await slice(ms);
    const { user, system } = process.cpuUsage(start);

    return { count, seconds: (user + system) / 1e6 };
  };
}

function repeated(work: () => unknown): Slice {
  return writerLoops(1, () => {
    for (let i = 0; i < opsPerStep; i++) work();
    return opsPerStep;
  });
}

function awaitedInTurn(work: () => Promise<unknown>): Slice {
  return writerLoops(1, async () => {
    for (let i = 0; i < opsPerStep; i++) await work();
    return opsPerStep;
  });
}

/** An AAD as long as the field cipher's: a header and the address. */
function aadOf({ tenantId, record, field }: FieldAddress): Buffer {
  const where = Buffer.from(`${tenantId}\n${record}\n${field}`);

  return Buffer.concat([Buffer.alloc(headerBytes), where]);
}

/**
 * Field encryption and decryption of one string value through the field
 * cipher, as the stores call it (one awaited call per value, keys from
 * the keyring's cache), next to raw seal and open of the value's bytes,
 * all timed in CPU seconds.
 */
export async function cipherSlices(
  cipher: FieldCipher,
  address: FieldAddress,
  value: string,
): Promise<CipherSlices> {
  const stored = await cipher.encrypt(address, value);
  const key = randomBytes(32);
  const plaintext = Buffer.from(value);
  const aad = aadOf(address);
  const sealed = rawSeal(key, plaintext, aad);

  return {
    encrypt: onCpuClock(awaitedInTurn(() => cipher.encrypt(address, value))),
    rawSeal: onCpuClock(repeated(() => rawSeal(key, plaintext, aad))),
    decrypt: onCpuClock(awaitedInTurn(() => cipher.decrypt(address, stored))),
    rawOpen: onCpuClock(repeated(() => rawOpen(key, sealed, aad))),
  };
}
