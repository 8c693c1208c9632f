/**
 * The IndexedDB schema as an append-only list of steps, in the manner of the model's own
 * migrations (src/lib/model/migrations.ts): step i takes the database from version i to i + 1.
 *
 * The steps speak to `SchemaOps`, not to IndexedDB, so that the chain can be checked in Node
 * without a browser (migrations.test.ts applies it to a recorder); `db.ts` implements the ops
 * over idb inside the `upgrade` callback, where they run in the one versionchange transaction
 * (all or nothing: a failed step leaves the old database as it was).
 *
 * WARNING: APPEND-ONLY. A released step is never edited, reordered or removed: a user's
 * database may be at any released version, and the browser runs exactly the steps after it.
 * DB_VERSION === DB_MIGRATIONS.length, as tested.
 */
import { INDEX, STORE } from './names.ts';

export interface SchemaOps {
  /** Existing store names (after the steps already applied). */
  storeNames(): string[];
  createStore(name: string, options: { keyPath: string }): void;
  createIndex(store: string, name: string, keyPath: string, options?: { unique?: boolean }): void;
  /**
   * Rewrite every record of a store: `fn` returns the new record, or undefined to leave it.
   * For a future change of record shape; asynchronous inside the upgrade transaction.
   */
  transform?(store: string, fn: (value: unknown) => unknown): Promise<void>;
}

export interface DbMigration {
  /** The version this step produces. */
  to: number;
  /** What it does, for the README and errors. */
  name: string;
  apply(ops: SchemaOps): void | Promise<void>;
}

export const DB_MIGRATIONS: readonly DbMigration[] = [
  {
    to: 1,
    name: 'models, runs and run data stores',
    apply(ops) {
      ops.createStore(STORE.models, { keyPath: 'id' });
      ops.createIndex(INDEX.modelsByUpdated.store, INDEX.modelsByUpdated.name, INDEX.modelsByUpdated.keyPath);
      ops.createStore(STORE.runs, { keyPath: 'id' });
      ops.createIndex(INDEX.runsByCreated.store, INDEX.runsByCreated.name, INDEX.runsByCreated.keyPath);
      ops.createStore(STORE.runData, { keyPath: 'id' });
    }
  }
];

/** The database version this code writes. Bump only by appending a step above. */
export const DB_VERSION = 1;

/**
 * The steps that take a database at `oldVersion` (0 when it does not exist) to `newVersion`.
 * Throws RangeError when asked to go down or past the newest step: a bug (the browser refuses
 * to open a newer database with a VersionError before any step runs).
 */
export function migrationsBetween(oldVersion: number, newVersion: number): DbMigration[] {
  if (!Number.isInteger(oldVersion) || !Number.isInteger(newVersion) || oldVersion < 0 || newVersion < oldVersion) {
    throw new RangeError(`no migration from database version ${oldVersion} to ${newVersion}`);
  }
  if (newVersion > DB_MIGRATIONS.length) {
    throw new RangeError(`database version ${newVersion} is newer than this code (${DB_MIGRATIONS.length})`);
  }
  return DB_MIGRATIONS.slice(oldVersion, newVersion);
}

/**
 * Run the steps from `oldVersion` to `newVersion` in order. Synchronous while the steps are
 * (the versionchange transaction must not be left waiting on anything but its own requests);
 * a step that returns a promise (a `transform`) makes the rest wait for it.
 */
export function applyMigrations(ops: SchemaOps, oldVersion: number, newVersion: number): Promise<void> | undefined {
  let chain: Promise<void> | undefined;
  for (const step of migrationsBetween(oldVersion, newVersion)) {
    if (chain) chain = chain.then(() => step.apply(ops));
    else {
      const r = step.apply(ops);
      if (r) chain = r;
    }
  }
  return chain;
}
