import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

import { HakkiriError } from '../../domain/hakkiri-error.js';
import { StoreUnavailableError } from '../../ports/errors.js';
import type {
  AddKeyResult,
  KeyPurpose,
  KeyStore,
  StoredKey,
} from '../../ports/key-store.js';
import { openSqliteDatabase } from './sqlite-database.js';
import type { SqliteDatabase } from './sqlite-database.js';

const schema = `
  CREATE TABLE IF NOT EXISTS tenant_keys (
    tenant_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    version INTEGER NOT NULL,
    wrapped TEXT NOT NULL,
    master_key_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, purpose, version)
  ) WITHOUT ROWID;
`;

const columns =
  'tenant_id, purpose, version, wrapped, master_key_id, created_at';

/** How many keys `wrappedByOther` reads at a time. */
const pageSize = 100;

interface KeyRow {
  tenant_id: string;
  purpose: KeyPurpose;
  version: number;
  wrapped: string;
  master_key_id: string;
  created_at: number;
}

interface CheckpointResult {
  busy: number;
}

export interface SqliteKeyStoreOptions {
  /** `keys.sqlite` in the data folder: a file of its own, apart from data. */
  file: string;
  /** How long a write or checkpoint waits for other connections. */
  busyTimeoutMs?: number;
}

/**
 * The embedded key store: one table in its own SQLite file. Deleted rows
 * are overwritten in the file and the log is emptied after each tenant
 * deletion, so a shredded key leaves no bytes behind.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: SqliteDatabase;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor({ file, busyTimeoutMs }: SqliteKeyStoreOptions) {
    // Keys are few and must not be lost: every commit waits for the disk.
    this.db = openSqliteDatabase(file, { synchronous: 'FULL' });
    this.db.pragma('secure_delete = ON');
    if (busyTimeoutMs !== undefined) {
      this.db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    }

    this.db.exec(schema);
    this.statements = prepareStatements(this.db);
  }

  async keysOf(tenantId: string): Promise<StoredKey[]> {
    const rows = this.attempt(() => this.statements.keysOf.all(tenantId));

    return rows.map(toStoredKey);
  }

  async add(key: StoredKey): Promise<AddKeyResult> {
    const { changes } = this.attempt(() => this.statements.add.run(toRow(key)));

    return changes === 1 ? 'added' : 'exists';
  }

  async rewrap(
    key: Pick<StoredKey, 'tenantId' | 'purpose' | 'version'>,
    previousMasterKeyId: string,
    replacement: Pick<StoredKey, 'wrapped' | 'masterKeyId'>,
  ): Promise<boolean> {
    const { changes } = this.attempt(() =>
      this.statements.rewrap.run({
        tenant_id: key.tenantId,
        purpose: key.purpose,
        version: key.version,
        previous: previousMasterKeyId,
        wrapped: replacement.wrapped,
        master_key_id: replacement.masterKeyId,
      }),
    );

    return changes === 1;
  }

  /**
   * Reads a page at a time and holds no statement open between pages, so
   * the caller may rewrap each key while it iterates.
   */
  async *wrappedByOther(masterKeyId: string): AsyncIterable<StoredKey> {
    let after: KeyRow | undefined;
    do {
      const page = this.pageWrappedByOther(masterKeyId, after);
      for (const row of page) yield toStoredKey(row);

      after = page.length === pageSize ? page.at(-1) : undefined;
    } while (after !== undefined);
  }

  /**
   * A checkpoint that finds the log pinned by a reader throws: the keys
   * are gone, but old page images may remain in the -wal file until a
   * later call, which checkpoints again, succeeds.
   */
  async deleteTenant(tenantId: string): Promise<number> {
    const { changes } = this.attempt(() =>
      this.statements.deleteTenant.run(tenantId),
    );

    this.truncateLog();

    return changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private pageWrappedByOther(
    masterKeyId: string,
    after: KeyRow | undefined,
  ): KeyRow[] {
    return this.attempt(() =>
      after === undefined
        ? this.statements.firstOtherPage.all(masterKeyId, pageSize)
        : this.statements.nextOtherPage.all(
            masterKeyId,
            after.tenant_id,
            after.purpose,
            after.version,
            pageSize,
          ),
    );
  }

  /**
   * Copies every page into the main file, where secure_delete has zeroed
   * the deleted rows, then empties the -wal file, which still holds the
   * pages as they were before the delete.
   */
  private truncateLog(): void {
    const [result] = this.attempt(
      () => this.db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[],
    );

    if (result?.busy !== 0) {
      throw new StoreUnavailableError(
        'The keys are deleted, but another connection held the key log: ' +
          'delete the tenant again to erase their old copies',
      );
    }
  }

  /** The one place where SQLite's errors become ours. */
  private attempt<T>(work: () => T): T {
    if (!this.db.open) {
      throw new StoreUnavailableError('The key store is closed');
    }

    try {
      return work();
    } catch (error) {
      if (error instanceof HakkiriError) throw error;
      if (!(error instanceof Database.SqliteError)) throw error;

      throw new StoreUnavailableError('The key store failed', {
        cause: error,
      });
    }
  }
}

function prepareStatements(db: SqliteDatabase) {
  const order = 'ORDER BY tenant_id, purpose, version LIMIT ?';

  return {
    keysOf: db.prepare(
      `SELECT ${columns} FROM tenant_keys WHERE tenant_id = ?`,
    ) as Statement<[string], KeyRow>,
    add: db.prepare(
      `INSERT INTO tenant_keys (${columns})
       VALUES (@tenant_id, @purpose, @version, @wrapped, @master_key_id,
               @created_at)
       ON CONFLICT DO NOTHING`,
    ),
    rewrap: db.prepare(
      `UPDATE tenant_keys SET wrapped = @wrapped, master_key_id = @master_key_id
       WHERE tenant_id = @tenant_id AND purpose = @purpose
         AND version = @version AND master_key_id = @previous`,
    ),
    firstOtherPage: db.prepare(
      `SELECT ${columns} FROM tenant_keys WHERE master_key_id <> ? ${order}`,
    ) as Statement<[string, number], KeyRow>,
    nextOtherPage: db.prepare(
      `SELECT ${columns} FROM tenant_keys
       WHERE master_key_id <> ? AND (tenant_id, purpose, version) > (?, ?, ?)
       ${order}`,
    ) as Statement<[string, string, string, number, number], KeyRow>,
    deleteTenant: db.prepare('DELETE FROM tenant_keys WHERE tenant_id = ?'),
  };
}

function toRow(key: StoredKey): KeyRow {
  return {
    tenant_id: key.tenantId,
    purpose: key.purpose,
    version: key.version,
    wrapped: key.wrapped,
    master_key_id: key.masterKeyId,
    created_at: key.createdAt.getTime(),
  };
}

function toStoredKey(row: KeyRow): StoredKey {
  return {
    tenantId: row.tenant_id,
    purpose: row.purpose,
    version: row.version,
    wrapped: row.wrapped,
    masterKeyId: row.master_key_id,
    createdAt: new Date(row.created_at),
  };
}
