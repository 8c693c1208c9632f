import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPrune } from './prune.ts';

const run = (id: string, createdAt: number, bytes: number) => ({ id, createdAt, bytes });

describe('planPrune', () => {
  it('removes nothing within the limits', () => {
    const p = planPrune([run('a', 1, 10), run('b', 2, 10)], { maxRuns: 2, maxBytes: 20 });
    expect(p.remove).toEqual([]);
    expect(p.totalBytes).toBe(20);
  });

  it('removes the oldest first until both limits hold', () => {
    const runs = [run('c', 3, 10), run('a', 1, 10), run('d', 4, 10), run('b', 2, 10)];
    expect(planPrune(runs, { maxRuns: 2, maxBytes: 1e9 }).remove).toEqual(['a', 'b']);
    const bytes = planPrune(runs, { maxRuns: 10, maxBytes: 25 });
    expect(bytes.remove).toEqual(['a', 'b']);
    expect(bytes.freedBytes).toBe(20);
  });

  it('never removes a kept run, even the oldest', () => {
    const runs = [run('a', 1, 10), run('b', 2, 10), run('c', 3, 10)];
    expect(planPrune(runs, { maxRuns: 1, maxBytes: 1e9 }, new Set(['a'])).remove).toEqual(['b', 'c']);
  });

  it('always ends within the limits unless only kept runs remain (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.uuid(), createdAt: fc.nat(1e6), bytes: fc.nat(1e4) }), { maxLength: 40 }),
        fc.nat(40),
        fc.nat(2e5),
        (runs, maxRuns, maxBytes) => {
          const unique = [...new Map(runs.map((r) => [r.id, r])).values()];
          const keep = new Set(unique.slice(0, 1).map((r) => r.id));
          const p = planPrune(unique, { maxRuns, maxBytes }, keep);
          const left = unique.filter((r) => !p.remove.includes(r.id));
          const within = left.length <= maxRuns && left.reduce((a, r) => a + r.bytes, 0) <= maxBytes;
          expect(within || left.every((r) => keep.has(r.id))).toBe(true);
          // Oldest first: every removed run is no newer than every kept non-protected run.
          const newestRemoved = Math.max(-Infinity, ...unique.filter((r) => p.remove.includes(r.id)).map((r) => r.createdAt));
          for (const r of left) if (!keep.has(r.id)) expect(r.createdAt).toBeGreaterThanOrEqual(newestRemoved);
          for (const id of p.remove) expect(keep.has(id)).toBe(false);
        }
      ),
      { numRuns: 300 }
    );
  });
});
