import { describe, expect, it } from 'vitest';
import { checkMigrations, FIRST_VERSION, migrate, MIGRATIONS, type Migration } from './migrations.ts';
import { MODEL_VERSION } from './types.ts';

describe('the shipped migrations', () => {
  it('form an unbroken chain from the first version to MODEL_VERSION', () => {
    expect(FIRST_VERSION).toBe(1);
    expect(checkMigrations(MIGRATIONS, MODEL_VERSION)).toEqual([]);
    for (const m of MIGRATIONS) expect(m.name).toMatch(/\S/);
  });

  it('pass a current document through unchanged', () => {
    const doc = { format: 'systems-sandbox/model', version: MODEL_VERSION, nodes: [], edges: [] };
    expect(migrate(doc)).toEqual({ ok: true, value: doc });
  });

  it('refuse a newer version with a clear message', () => {
    expect(migrate({ version: MODEL_VERSION + 1 })).toEqual({
      ok: false,
      issues: [{ path: 'version', message: `this model was saved by a newer version (v${MODEL_VERSION + 1}); this app reads up to v${MODEL_VERSION}` }]
    });
    expect(migrate({ version: 2 }, { latest: 1 })).toEqual({
      ok: false,
      issues: [{ path: 'version', message: 'this model was saved by a newer version (v2); this app reads up to v1' }]
    });
  });

  it('refuse versions that never existed and non-numbers', () => {
    expect(migrate({ version: 0 })).toEqual({
      ok: false,
      issues: [{ path: 'version', message: 'there is no version v0; the first version is v1' }]
    });
    expect(migrate({ version: '1' }).ok).toBe(false);
    expect(migrate({ version: 1.5 }).ok).toBe(false);
    expect(migrate({}).ok).toBe(false);
  });
});

// The mechanism, exercised with a chain that exists only in this test (nothing fake ships).
describe('the migration mechanism', () => {
  const renameQueueSize: Migration = {
    name: 'v1→v2: queue.size becomes queue.capacity',
    from: 1,
    up(doc) {
      const nodes = (doc.nodes as { kind: string; params?: Record<string, unknown> }[]).map((n) => {
        if (n.kind !== 'queue' || !n.params || !('size' in n.params)) return n;
        const { size, ...rest } = n.params;
        return { ...n, params: { ...rest, capacity: size } };
      });
      return { ...doc, nodes };
    }
  };
  const addRun: Migration = {
    name: 'v2→v3: every document has run settings',
    from: 2,
    up: (doc) => ({ run: {}, ...doc })
  };
  const v1 = () => ({ format: 'x', version: 1, nodes: [{ id: 'q', kind: 'queue', params: { size: 5 } }] });

  it('applies each step in order and sets the version', () => {
    const input = v1();
    const r = migrate(input, { migrations: [renameQueueSize, addRun], latest: 3 });
    expect(r).toEqual({
      ok: true,
      value: { run: {}, format: 'x', version: 3, nodes: [{ id: 'q', kind: 'queue', params: { capacity: 5 } }] }
    });
    // The input is never modified.
    expect(input).toEqual(v1());
  });

  it('starts from the document version', () => {
    const r = migrate({ version: 2, nodes: [] }, { migrations: [renameQueueSize, addRun], latest: 3 });
    expect(r).toEqual({ ok: true, value: { run: {}, version: 3, nodes: [] } });
  });

  it('names a migration that fails', () => {
    const broken: Migration = {
      name: 'v1→v2: broken',
      from: 1,
      up() {
        throw new Error('no nodes');
      }
    };
    expect(migrate(v1(), { migrations: [broken], latest: 2 })).toEqual({
      ok: false,
      issues: [{ path: 'version', message: 'migration "v1→v2: broken" failed: no nodes' }]
    });
    const empty: Migration = { name: 'v1→v2: empty', from: 1, up: () => null as never };
    expect(migrate(v1(), { migrations: [empty], latest: 2 }).ok).toBe(false);
  });

  it('detects gaps and mismatched chains', () => {
    expect(checkMigrations([renameQueueSize, addRun], 3)).toEqual([]);
    expect(checkMigrations([addRun], 2)).toHaveLength(1);
    expect(checkMigrations([renameQueueSize], 3)).toHaveLength(1);
    expect(migrate(v1(), { migrations: [renameQueueSize], latest: 3 })).toEqual({
      ok: false,
      issues: [{ path: 'version', message: 'cannot read v2: no migration from v2 to v3' }]
    });
  });
});
