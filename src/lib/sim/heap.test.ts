import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from './heap';
import { substream } from './rng';

interface Ev {
  time: number;
  priority: number;
  seq: number;
  code: number;
  arg: number;
}

const byOrder = (a: Ev, b: Ev) => a.time - b.time || a.priority - b.priority || a.seq - b.seq;

function popAll(h: EventHeap): Omit<Ev, 'seq'>[] {
  const out: Omit<Ev, 'seq'>[] = [];
  while (h.pop()) out.push({ time: h.time, priority: h.priority, code: h.code, arg: h.arg });
  return out;
}

describe('EventHeap', () => {
  it('matches a reference sort under random interleaved pushes and pops (fast-check)', () => {
    // Times from a small set so that ties on time (and on priority) are frequent.
    const op = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('push' as const),
          time: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })),
          priority: fc.integer({ min: 0, max: 4095 }).map((p) => p % 4 === 0 ? p : p % 3),
          arg: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
        })
      },
      { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) }
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.integer({ min: 1, max: 8 }), (ops, cap) => {
        const h = new EventHeap(cap); // tiny capacity: growth happens mid-sequence
        const ref: Ev[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const e = { time: o.time, priority: o.priority, seq, code: seq, arg: o.arg };
            seq++;
            h.push(e.time, e.priority, e.code, e.arg);
            ref.push(e);
          } else {
            ref.sort(byOrder);
            const want = ref.shift();
            expect(h.pop()).toBe(want !== undefined);
            if (want) {
              expect([h.time, h.priority, h.code, h.arg]).toEqual([
                want.time,
                want.priority,
                want.code,
                want.arg
              ]);
            }
          }
          expect(h.size).toBe(ref.length);
          ref.sort(byOrder);
          expect(h.peekTime()).toBe(ref.length ? ref[0].time : Infinity);
        }
        ref.sort(byOrder);
        expect(popAll(h)).toEqual(ref.map(({ time, priority, code, arg }) => ({ time, priority, code, arg })));
      }),
      { numRuns: 300 }
    );
  });

  it('topCode, topArg and removeTop (the engine loop) read and drop what pop would', () => {
    const a = new EventHeap(2);
    const b = new EventHeap(2);
    const rng = substream(9, 0, 1);
    for (let i = 0; i < 500; i++) {
      const t = Math.floor(rng.next() * 50);
      a.push(t, 2, i, 7 * i);
      b.push(t, 2, i, 7 * i);
    }
    while (b.pop()) {
      expect([a.peekTime(), a.topCode, a.topArg]).toEqual([b.time, b.code, b.arg]);
      a.removeTop();
    }
    expect([a.size, a.peekTime()]).toEqual([0, Infinity]);
    a.push(3, 2, 1, 1);
    a.clear();
    expect(a.peekTime()).toBe(Infinity);
  });

  it('pops equal (time, priority) in FIFO order', () => {
    const h = new EventHeap(4);
    for (let i = 0; i < 1000; i++) h.push(5, 7, i, 1000 - i);
    for (let i = 0; i < 1000; i++) {
      expect(h.pop()).toBe(true);
      expect(h.code).toBe(i);
      expect(h.arg).toBe(1000 - i);
    }
  });

  it('orders by priority at equal time, then FIFO within a priority', () => {
    const h = new EventHeap();
    h.push(1, 3, 0, 0);
    h.push(1, 0, 1, 0);
    h.push(1, 4095, 2, 0);
    h.push(1, 0, 3, 0);
    h.push(0.5, 4095, 4, 0);
    h.push(1, 3, 5, 0);
    expect(popAll(h).map((e) => [e.code, e.priority])).toEqual([
      [4, 4095],
      [1, 0],
      [3, 0],
      [0, 3],
      [5, 3],
      [2, 4095]
    ]);
  });

  it('handles empty, Infinity, negative and zero times; rejects NaN and bad priorities', () => {
    const h = new EventHeap(1);
    expect(h.pop()).toBe(false);
    expect(h.peekTime()).toBe(Infinity);
    h.push(Infinity, 0, 1, 0);
    h.push(-1, 0, 2, 0);
    h.push(0, 0, 3, 0);
    expect(popAll(h).map((e) => e.code)).toEqual([2, 3, 1]);
    expect(() => h.push(NaN, 0, 0, 0)).toThrow(RangeError);
    expect(() => h.push(0, 4096, 0, 0)).toThrow(RangeError);
    expect(() => h.push(0, -1, 0, 0)).toThrow(RangeError);
    expect(() => h.push(0, 1.5, 0, 0)).toThrow(RangeError);
    expect(h.size).toBe(0);
  });

  it('grows by doubling without losing order, and clear() resets', () => {
    const h = new EventHeap(2);
    const times: number[] = [];
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      times.push(x % 1000);
      h.push(x % 1000, 0, i, i);
    }
    expect(h.capacity).toBe(8192);
    const popped = popAll(h);
    const ref = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
    expect(popped.map((e) => e.code)).toEqual(ref.map((r) => r.i));
    h.push(3, 0, 1, 0);
    h.clear();
    expect(h.size).toBe(0);
    expect(h.pop()).toBe(false);
  });

  it('keeps FIFO and the caller’s popped fields across sequence renumbering (2^40 pushes)', () => {
    const h = new EventHeap(4);
    for (let i = 0; i < 10; i++) h.push(1, 2, i, 0);
    h.push(0, 0, 99, 42);
    expect(h.pop()).toBe(true);
    h.advanceSequenceForTest(2 ** 41); // the next push must renumber first
    for (let i = 10; i < 20; i++) h.push(1, 2, i, 0);
    expect([h.time, h.code, h.arg]).toEqual([0, 99, 42]);
    expect(popAll(h).map((e) => e.code)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('holds 10^6 pending events in well under 100 MB', () => {
    const before = process.memoryUsage().arrayBuffers;
    const h = new EventHeap();
    for (let i = 0; i < 1_000_000; i++) h.push((i * 7919) % 1_000_003, i & 3, i, i);
    const used = process.memoryUsage().arrayBuffers - before;
    // 2^20 slots × 24 bytes = 25.2 MB once grown (the pre-growth arrays may not be collected yet).
    expect(h.capacity).toBe(2 ** 20);
    expect(used).toBeLessThan(60e6);
    let prev = -Infinity;
    for (let i = 0; i < 1000; i++) {
      h.pop();
      expect(h.time).toBeGreaterThanOrEqual(prev);
      prev = h.time;
    }
  });
});
