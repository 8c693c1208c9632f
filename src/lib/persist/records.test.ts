/**
 * Records: made from real documents and real engine results, read back, and refused with a
 * located message when damaged. The fuzz part (fast-check, 8,000 cases) asserts the readers
 * never throw, whatever a store hands back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../model/index.ts';
import { checkSummary, makeModelRecord, makeRunRecords, modelHash, readModelListing, readModelRecord, readRunData, readRunMeta } from './records.ts';
import { mm1, runDoc } from './testing.ts';

function assertResult(r: Result<unknown>): void {
  expect(typeof r).toBe('object');
  if (r.ok) return;
  expect(r.issues.length).toBeGreaterThan(0);
  for (const i of r.issues) {
    expect(typeof i.path).toBe('string');
    expect(i.message.length).toBeGreaterThan(10);
  }
}

const { model, summary } = runDoc(mm1());
const record = makeModelRecord({ id: 'm1', doc: mm1(), origin: 'file a.json', now: 1000 });
const run = makeRunRecords({ id: 'r1', createdAt: 2000, modelId: 'm1', doc: mm1(), model, summary });
/** What a store hands back: a structured clone. */
const stored = <T>(x: T): T => structuredClone(x);

describe('model records', () => {
  it('round-trip through a structured clone', () => {
    const r = readModelRecord(stored(record));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.doc).toEqual(mm1());
    expect(r.value).toMatchObject({ id: 'm1', name: 'Test M/M/1', rev: 1, createdAt: 1000, updatedAt: 1000, origin: 'file a.json' });
    expect(r.value.hash).toBe(modelHash(mm1()));
  });

  it('hash the content, not the key order', () => {
    const doc = mm1();
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as typeof doc;
    expect(modelHash(reordered)).toBe(modelHash(doc));
    expect(modelHash(mm1('Other'))).not.toBe(modelHash(doc));
  });

  it('refuse a damaged listing with the field and what was expected', () => {
    const r = readModelListing({ ...stored(record), updatedAt: 'yesterday' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0].path).toBe('updatedAt');
    expect(r.issues[0].message).toContain('this saved model is damaged');
    expect(r.issues[0].message).toContain('"yesterday"');
  });

  it('refuse a damaged model inside with its located path', () => {
    const bad = stored(record);
    (bad.envelope.model.nodes[1] as { params?: unknown }).params = { capacity: 'ten' };
    const r = readModelRecord(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0].path).toBe('envelope.model.nodes[1].params.capacity');
    expect(r.issues[0].message).toContain('"ten"');
  });

  it('refuse a model from a newer version in words', () => {
    const bad = stored(record);
    (bad.envelope.model as { version: number }).version = 99;
    const r = readModelRecord(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/newer version/);
  });
});

describe('run records', () => {
  it('keep the snapshot, the settings and the results', () => {
    const meta = readRunMeta(stored(run.meta));
    const data = readRunData(stored(run.data));
    expect(meta.ok && data.ok).toBe(true);
    if (!meta.ok || !data.ok) return;
    expect(meta.value).toMatchObject({ id: 'r1', modelId: 'm1', seed: 7, replications: 2, until: 200, warmup: 0, confidence: 0.95 });
    expect(meta.value.modelHash).toBe(modelHash(mm1()));
    expect(meta.value.headline?.node).toBe('done');
    expect(meta.value.headline?.response?.mean).toBe(summary.nodes.done.response.mean);
    expect(meta.value.bytes).toBeGreaterThan(1000);
    expect(data.value.doc).toEqual(mm1());
    // NaN (no utilisation at a sink) survives the structured clone.
    expect(data.value.summary).toEqual(summary);
    expect(Number.isNaN(data.value.summary.nodes.done.utilisation.mean)).toBe(true);
  });

  it('refuse a summary with a missing measure, at its path', () => {
    const bad = stored(run.data) as unknown as { summary: { nodes: Record<string, Record<string, unknown>> } };
    delete bad.summary.nodes.srv.throughput;
    const r = readRunData(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].path).toBe('summary.nodes["srv"].throughput');
    expect(checkSummary(stored(run.data.summary))).toEqual([]);
  });
});

describe('fuzz: the readers never throw', () => {
  const readers = [readModelListing, readModelRecord, readRunMeta, readRunData] as const;

  it('on arbitrary values (4 × 1,000 cases)', () => {
    for (const read of readers) {
      fc.assert(fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true }), (x) => assertResult(read(x))), { numRuns: 1000 });
    }
  });

  /** A record with one field somewhere replaced by an arbitrary value, or deleted. */
  function damage(value: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let at: Record<string | number, unknown> = copy;
    for (let i = 0; i < path.length - 1; i++) {
      const next = at[path[i]];
      if (typeof next !== 'object' || next === null) return copy;
      at = next as Record<string | number, unknown>;
    }
    const last = path[path.length - 1];
    if (remove) delete at[last];
    else at[last] = replacement;
    return copy;
  }

  /** Every path into a value, for picking one to damage. */
  function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
    if (typeof value !== 'object' || value === null || depth > 6) return out;
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      if (out.length < 3000) paths(v, p, out, depth + 1);
    }
    return out;
  }

  it('on valid records with one part damaged (4 × 1,000 cases)', () => {
    const cases: [unknown, (x: unknown) => Result<unknown>][] = [
      [record, readModelListing],
      [record, readModelRecord],
      [run.meta, readRunMeta],
      [run.data, readRunData]
    ];
    for (const [value, read] of cases) {
      const all = paths(value);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.anything(), fc.boolean(), (i, replacement, remove) => {
          assertResult(read(damage(value, all[i], replacement, remove)));
        }),
        { numRuns: 1000 }
      );
    }
  });

  it('on hostile values (throwing getters, proxies)', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    const getter = Object.defineProperty({ ...stored(record) }, 'envelope', { get: () => { throw new Error('getter'); }, enumerable: true });
    for (const read of readers) {
      assertResult(read(trap));
      assertResult(read(getter));
    }
    const r = readModelRecord(getter);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/internal error|damaged/);
  });
});
