/**
 * The IndexedDB side of persistence, over `idb`. Everything else in this folder is pure; this
 * file is the only one that touches the browser's storage, and it is tested in Playwright
 * against real IndexedDB in Chromium (tests/e2e/persist.spec.ts), not in Node.
 *
 * Every method returns a Result and never throws: storage failures come back as one issue in
 * words (errors.ts), so the page can show them. Every record read goes through records.ts.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { ModelDocument, ModelIssue, Result } from '../model/index.ts';
import { describeStorageError } from './errors.ts';
import { applyMigrations, DB_VERSION } from './migrations.ts';
import { DB_NAME, INDEX, STORE } from './names.ts';
import {
  makeModelRecord,
  newId,
  readModelListing,
  readModelRecord,
  readRunData,
  readRunMeta,
  type ModelListing,
  type ModelRecord,
  type RunData,
  type RunMeta,
  type StoredModel,
  type StoredRun
} from './records.ts';
import { CONFLICT_ORIGIN, decideWrite } from './tabsync.ts';

export interface OpenEvents {
  /** Our upgrade waits for another tab of an older version to close. */
  onBlocked?(): void;
  /**
   * Another tab (of a newer version) wants to upgrade: called first, to flush unsaved work;
   * the connection is closed when it settles (or after a second).
   */
  beforeClose?(): Promise<void> | void;
  /** The connection was closed for another tab's upgrade, or by the browser. */
  onClosed?(reason: 'upgrade' | 'terminated'): void;
}

/** A record that could not be read, shown in the lists so the user can delete it. */
export interface Damaged {
  key: string;
  issues: ModelIssue[];
}

export type SaveOutcome =
  | { outcome: 'saved'; rev: number; updatedAt: number; listing: ModelListing }
  /** Another tab saved since our copy's rev: nothing was overwritten; our doc went to `copy`. */
  | { outcome: 'conflict'; copy: StoredModel }
  /** The record was deleted (in another tab): nothing was written. */
  | { outcome: 'gone' };

function failed(e: unknown, doing: string): { ok: false; issues: ModelIssue[] } {
  return { ok: false, issues: [{ path: '', message: describeStorageError(e, doing) }] };
}

function keyText(k: IDBValidKey): string {
  return typeof k === 'string' ? k : JSON.stringify(k) ?? String(k);
}

/** Open (creating or upgrading) the database. Never throws. */
export async function openPersist(events: OpenEvents = {}, factory?: IDBFactory): Promise<Result<PersistDb>> {
  const idb = factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) return failed({ name: 'UnavailableError' }, 'open the saved models');
  try {
    let holder: PersistDb | null = null;
    const db = await openDB(DB_NAME, DB_VERSION, {
      upgrade(database, oldVersion, newVersion, tx) {
        // Runs inside the versionchange transaction: all or nothing.
        return applyMigrations(
          {
            storeNames: () => Array.from(database.objectStoreNames),
            createStore: (name, options) => void database.createObjectStore(name, options),
            createIndex: (store, name, keyPath, options) => void tx.objectStore(store).createIndex(name, keyPath, options),
            transform: async (store, fn) => {
              let cursor = await tx.objectStore(store).openCursor();
              while (cursor) {
                const next = fn(cursor.value);
                if (next !== undefined) await cursor.update(next);
                cursor = await cursor.continue();
              }
            }
          },
          oldVersion,
          newVersion ?? DB_VERSION
        ) as unknown as void;
      },
      blocked() {
        events.onBlocked?.();
      },
      blocking() {
        const close = () => {
          holder?.close();
          events.onClosed?.('upgrade');
        };
        const timeout = new Promise<void>((r) => setTimeout(r, 1000));
        void Promise.race([Promise.resolve(events.beforeClose?.()).catch(() => undefined), timeout]).then(close, close);
      },
      terminated() {
        events.onClosed?.('terminated');
      }
    });
    holder = new PersistDb(db);
    return { ok: true, value: holder };
  } catch (e) {
    return failed(e, 'open the saved models');
  }
}

export class PersistDb {
  #db: IDBPDatabase;
  #closed = false;

  constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    this.#db.close();
  }

  async #do<T>(doing: string, fn: (db: IDBPDatabase) => Promise<Result<T>>): Promise<Result<T>> {
    try {
      if (this.#closed) throw new DOMException('closed', 'InvalidStateError');
      return await fn(this.#db);
    } catch (e) {
      return failed(e, doing);
    }
  }

  /* -------------------------------- models -------------------------------- */

  /** Every saved model, most recently saved first, and the records that cannot be read. */
  listModels(): Promise<Result<{ models: ModelListing[]; damaged: Damaged[] }>> {
    return this.#do('list the saved models', async (db) => {
      const models: ModelListing[] = [];
      const damaged: Damaged[] = [];
      let cursor = await db.transaction(STORE.models).store.openCursor();
      while (cursor) {
        const r = readModelListing(cursor.value);
        if (r.ok && r.value.id === cursor.key) models.push(r.value);
        else damaged.push({ key: keyText(cursor.key), issues: r.ok ? [{ path: 'id', message: 'this saved model is damaged: its id does not match its key' }] : r.issues });
        cursor = await cursor.continue();
      }
      models.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
      return { ok: true, value: { models, damaged } };
    });
  }

  getModel(id: string): Promise<Result<StoredModel>> {
    return this.#do('open the saved model', async (db) => {
      const value: unknown = await db.get(STORE.models, id);
      if (value === undefined) throw new DOMException('missing', 'NotFoundError');
      return readModelRecord(value);
    });
  }

  /** The most recently saved model, or null when there is none. */
  latestModelId(): Promise<Result<string | null>> {
    return this.#do('find the last model', async (db) => {
      const cursor = await db.transaction(STORE.models).store.index(INDEX.modelsByUpdated.name).openKeyCursor(null, 'prev');
      return { ok: true, value: cursor ? String(cursor.primaryKey) : null };
    });
  }

  /** A saved model with exactly this content, if any (to open a link twice without copies). */
  findByHash(hash: string): Promise<Result<ModelListing | null>> {
    return this.#do('search the saved models', async (db) => {
      for (const value of (await db.getAll(STORE.models)) as unknown[]) {
        const r = readModelListing(value);
        if (r.ok && r.value.hash === hash) return { ok: true, value: r.value };
      }
      return { ok: true, value: null };
    });
  }

  createModel(doc: ModelDocument, origin: string): Promise<Result<StoredModel>> {
    return this.#do('save the model', async (db) => {
      const rec = makeModelRecord({ id: newId(), doc, origin, now: Date.now() });
      await db.add(STORE.models, rec);
      return { ok: true, value: { ...listingOf(rec), doc } };
    });
  }

  /**
   * Save `doc` over model `id` if the stored copy is still at `baseRev` (compare-and-swap in
   * one transaction: tabsync.ts). Otherwise nothing is overwritten and the doc is kept as a new
   * model whose origin is CONFLICT_ORIGIN ("edited in two tabs").
   */
  saveModel(id: string, doc: ModelDocument, baseRev: number): Promise<Result<SaveOutcome>> {
    return this.#do('save the model', async (db): Promise<Result<SaveOutcome>> => {
      const tx = db.transaction(STORE.models, 'readwrite');
      const stored: unknown = await tx.store.get(id);
      const listing = stored === undefined ? undefined : readModelListing(stored);
      const decision = decideWrite(listing?.ok ? listing.value : stored === undefined ? undefined : { rev: NaN }, baseRev);
      if (decision === 'write' && listing?.ok) {
        const now = Math.max(Date.now(), listing.value.updatedAt);
        const rec = makeModelRecord({ id, doc, origin: listing.value.origin, now, createdAt: listing.value.createdAt, rev: baseRev + 1 });
        await tx.store.put(rec);
        await tx.done;
        return { ok: true, value: { outcome: 'saved', rev: rec.rev, updatedAt: rec.updatedAt, listing: listingOf(rec) } };
      }
      await tx.done;
      if (decision === 'gone') return { ok: true, value: { outcome: 'gone' } };
      // Keep both versions: the other tab's stays under `id`, ours becomes a new model, with
      // the name the user gave it and an origin that says why there are two.
      const copy = makeModelRecord({ id: newId(), doc, origin: CONFLICT_ORIGIN, now: Date.now() });
      await db.add(STORE.models, copy);
      return { ok: true, value: { outcome: 'conflict', copy: { ...listingOf(copy), doc } } };
    });
  }

  /** Rename: the name lives in the model (`name`), so this rewrites the model. */
  renameModel(id: string, name: string): Promise<Result<StoredModel>> {
    return this.#do('rename the model', async (db) => {
      const tx = db.transaction(STORE.models, 'readwrite');
      const r = readModelRecord(await tx.store.get(id));
      if (!r.ok) {
        await tx.done;
        return r;
      }
      const doc: ModelDocument = { ...r.value.doc, name };
      const rec = makeModelRecord({ id, doc, origin: r.value.origin, now: Math.max(Date.now(), r.value.updatedAt), createdAt: r.value.createdAt, rev: r.value.rev + 1 });
      await tx.store.put(rec);
      await tx.done;
      return { ok: true, value: { ...listingOf(rec), doc } };
    });
  }

  duplicateModel(id: string, name: string): Promise<Result<StoredModel>> {
    return this.#do('duplicate the model', async (db) => {
      const r = readModelRecord(await db.get(STORE.models, id));
      if (!r.ok) return r;
      const doc: ModelDocument = { ...r.value.doc, name };
      const rec = makeModelRecord({ id: newId(), doc, origin: 'copy', now: Date.now() });
      await db.add(STORE.models, rec);
      return { ok: true, value: { ...listingOf(rec), doc } };
    });
  }

  /** Delete a record as it is (readable or not); returns it, for undo. */
  deleteModel(key: string): Promise<Result<unknown>> {
    return this.#do('delete the model', async (db) => {
      const tx = db.transaction(STORE.models, 'readwrite');
      const value: unknown = await tx.store.get(key);
      await tx.store.delete(key);
      await tx.done;
      return { ok: true, value };
    });
  }

  /** Undo a delete: put the records back exactly as they were, in one transaction. */
  putBack(parts: Partial<Record<keyof typeof STORE, unknown[]>>): Promise<Result<void>> {
    return this.#do('undo the delete', async (db) => {
      const names = (Object.keys(parts) as (keyof typeof STORE)[]).filter((k) => parts[k]?.length);
      if (names.length === 0) return { ok: true, value: undefined };
      const tx = db.transaction(names.map((k) => STORE[k]), 'readwrite');
      for (const k of names) for (const v of parts[k]!) if (v !== undefined) await tx.objectStore(STORE[k]).put(v);
      await tx.done;
      return { ok: true, value: undefined };
    });
  }

  /* --------------------------------- runs --------------------------------- */

  addRun(meta: RunMeta, data: RunData): Promise<Result<void>> {
    return this.#do('save this run in the history', async (db) => {
      const tx = db.transaction([STORE.runs, STORE.runData], 'readwrite');
      await Promise.all([tx.objectStore(STORE.runs).put(meta), tx.objectStore(STORE.runData).put(data), tx.done]);
      return { ok: true, value: undefined };
    });
  }

  /** Every run, newest first, and the records that cannot be read. */
  listRuns(): Promise<Result<{ runs: RunMeta[]; damaged: Damaged[] }>> {
    return this.#do('list the saved runs', async (db) => {
      const runs: RunMeta[] = [];
      const damaged: Damaged[] = [];
      let cursor = await db.transaction(STORE.runs).store.openCursor();
      while (cursor) {
        const r = readRunMeta(cursor.value);
        if (r.ok && r.value.id === cursor.key) runs.push(r.value);
        else damaged.push({ key: keyText(cursor.key), issues: r.ok ? [{ path: 'id', message: 'this saved run is damaged: its id does not match its key' }] : r.issues });
        cursor = await cursor.continue();
      }
      runs.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
      return { ok: true, value: { runs, damaged } };
    });
  }

  getRun(id: string): Promise<Result<StoredRun>> {
    return this.#do('open the saved run', async (db) => {
      const tx = db.transaction([STORE.runs, STORE.runData]);
      const [metaValue, dataValue] = await Promise.all([tx.objectStore(STORE.runs).get(id), tx.objectStore(STORE.runData).get(id)]);
      if (metaValue === undefined) throw new DOMException('missing', 'NotFoundError');
      const meta = readRunMeta(metaValue);
      if (!meta.ok) return meta;
      const data = readRunData(dataValue);
      if (!data.ok) return data;
      return { ok: true, value: { meta: meta.value, doc: data.value.doc, summary: data.value.summary } };
    });
  }

  /** Delete runs (both records each); returns them for undo. */
  deleteRuns(ids: string[]): Promise<Result<{ runs: unknown[]; runData: unknown[] }>> {
    return this.#do(ids.length === 1 ? 'delete the run' : `delete ${ids.length} runs`, async (db) => {
      const tx = db.transaction([STORE.runs, STORE.runData], 'readwrite');
      const runs: unknown[] = [];
      const runData: unknown[] = [];
      for (const id of ids) {
        runs.push(await tx.objectStore(STORE.runs).get(id));
        runData.push(await tx.objectStore(STORE.runData).get(id));
        await tx.objectStore(STORE.runs).delete(id);
        await tx.objectStore(STORE.runData).delete(id);
      }
      await tx.done;
      return { ok: true, value: { runs, runData } };
    });
  }
}

function listingOf(rec: ModelRecord): ModelListing {
  const { envelope: _envelope, ...listing } = rec;
  return listing;
}
