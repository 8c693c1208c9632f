import { describe, expect, it } from 'vitest';
import { applyMigrations, DB_MIGRATIONS, DB_VERSION, migrationsBetween, type SchemaOps } from './migrations.ts';
import { INDEX, STORE } from './names.ts';

/** A SchemaOps that records the schema, and fails like IndexedDB on a duplicate. */
function recorder() {
  const stores = new Map<string, { keyPath: string; indexes: Map<string, string> }>();
  const ops: SchemaOps = {
    storeNames: () => [...stores.keys()],
    createStore(name, { keyPath }) {
      if (stores.has(name)) throw new Error(`ConstraintError: store ${name} exists`);
      stores.set(name, { keyPath, indexes: new Map() });
    },
    createIndex(store, name, keyPath) {
      const s = stores.get(store);
      if (!s) throw new Error(`NotFoundError: no store ${store}`);
      if (s.indexes.has(name)) throw new Error(`ConstraintError: index ${name} exists`);
      s.indexes.set(name, keyPath);
    }
  };
  return { ops, stores };
}

describe('database migrations', () => {
  it('form an unbroken chain from 0 to DB_VERSION', () => {
    expect(DB_MIGRATIONS.length).toBe(DB_VERSION);
    DB_MIGRATIONS.forEach((m, i) => {
      expect(m.to).toBe(i + 1);
      expect(m.name.length).toBeGreaterThan(5);
    });
  });

  it('build the frozen stores and indexes from an empty database', async () => {
    const { ops, stores } = recorder();
    await applyMigrations(ops, 0, DB_VERSION);
    expect([...stores.keys()].sort()).toEqual([STORE.models, STORE.runData, STORE.runs].sort());
    for (const s of stores.values()) expect(s.keyPath).toBe('id');
    expect(stores.get(STORE.models)!.indexes.get(INDEX.modelsByUpdated.name)).toBe('updatedAt');
    expect(stores.get(STORE.runs)!.indexes.get(INDEX.runsByCreated.name)).toBe('createdAt');
  });

  it('run only the steps after the stored version, and none when current', () => {
    expect(migrationsBetween(0, DB_VERSION)).toHaveLength(DB_VERSION);
    expect(migrationsBetween(DB_VERSION, DB_VERSION)).toEqual([]);
    // From every released version, each later step runs once: no step fails on a schema it
    // already finds (the recorder throws on duplicates).
    for (let from = 0; from <= DB_VERSION; from++) {
      const { ops } = recorder();
      expect(() => applyMigrations(ops, 0, from)).not.toThrow();
      expect(() => applyMigrations(ops, from, DB_VERSION)).not.toThrow();
    }
  });

  it('refuse to go down or past the newest step', () => {
    expect(() => migrationsBetween(1, 0)).toThrow(RangeError);
    expect(() => migrationsBetween(0, DB_VERSION + 1)).toThrow(RangeError);
    expect(() => migrationsBetween(-1, 1)).toThrow(RangeError);
  });
});
