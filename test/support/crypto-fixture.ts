import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FieldCipher } from '../../src/crypto/field-cipher.js';
import { Keyring } from '../../src/crypto/keyring.js';
import type { KeyringOptions } from '../../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../../src/crypto/master-key.js';
import { SqliteKeyStore } from '../../src/storage/sqlite/sqlite-key-store.js';

/** A keyring over a real SQLite key store in a temporary folder. */
export function cryptoFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-keys-'));
  const store = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });

  const keyring = (
    masterKeys = new MasterKeys(new LocalMasterKey(randomBytes(32))),
    options: KeyringOptions = {},
  ) => new Keyring(store, masterKeys, options);

  return {
    store,
    keyring,
    cipher: (ring: Keyring) => new FieldCipher(ring),
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
