import { describe, expect, it } from 'vitest';
import { LogHistogram } from './histogram';
import { substream } from './rng';

function expDraws(n: number, mean: number, stream: number): Float64Array {
  const rng = substream(77, 0, stream);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = -mean * Math.log(1 - rng.next());
  return xs;
}

/** Nearest-rank order statistic of a sorted array. */
const rankStat = (sorted: Float64Array, q: number) =>
  sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];

describe('LogHistogram', () => {
  it('bucket boundaries come from the float bits', () => {
    const first = LogHistogram.slotOf(2 ** -34);
    expect(first).toBe(3);
    expect(LogHistogram.slotOf(2 ** -34 * (1 - 2 ** -53))).toBe(2); // tiny
    expect(LogHistogram.slotOf(5e-324)).toBe(2); // subnormal
    expect(LogHistogram.slotOf(1)).toBe(3 + 34 * 64);
    expect(LogHistogram.slotOf(1 + 1 / 64)).toBe(3 + 34 * 64 + 1);
    expect(LogHistogram.slotOf(1 + 1 / 64 - 2 ** -52)).toBe(3 + 34 * 64);
    expect(LogHistogram.slotOf(2 ** 30 * (1 - 2 ** -53))).toBe(4098);
    expect(LogHistogram.slotOf(2 ** 30)).toBe(4099);
    expect(LogHistogram.slotOf(Infinity)).toBe(4099);
    expect(LogHistogram.slotOf(0)).toBe(1);
    expect(LogHistogram.slotOf(-0)).toBe(1);
    expect(LogHistogram.slotOf(-3)).toBe(0);
    expect(LogHistogram.SLOTS).toBe(4100);
  });

  it('every quantile is within 1/128 of the exact order statistic, across 12 decades', () => {
    const h = new LogHistogram();
    const rng = substream(5, 0, 5);
    const n = 50_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = 10 ** (-9 + 12 * rng.next()); // 1 ns .. 1000 s, log-uniform
      h.record(xs[i]);
    }
    xs.sort();
    for (let q = 0; q <= 1; q += 0.005) {
      const exact = rankStat(xs, q);
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(1 / 128);
    }
    expect(h.quantile(0)).toBe(xs[0]);
    expect(h.quantile(1)).toBe(xs[n - 1]);
  });

  it('quantiles of exponential samples: within 1% of the exact sample quantile and of theory', () => {
    const mean = 0.004;
    const n = 1_000_000;
    const xs = expDraws(n, mean, 1);
    const h = new LogHistogram();
    for (const x of xs) h.record(x);
    const sorted = xs.slice().sort();
    for (const q of [0.1, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      // Against the exact order statistic of the same samples: only the bucket error (≤ 1/128).
      expect(Math.abs(h.quantile(q) / rankStat(sorted, q) - 1)).toBeLessThanOrEqual(1 / 128);
      // Against the exponential's quantile: bucket error plus 5 sd of the empirical quantile,
      // whose relative sd is √(q / ((1 − q) n)) / (−ln(1 − q)).
      const exact = -mean * Math.log1p(-q);
      const sd = Math.sqrt(q / ((1 - q) * n)) / -Math.log1p(-q);
      expect(Math.abs(h.quantile(q) / exact - 1)).toBeLessThan(1 / 128 + 5 * sd);
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const x of xs) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(h.count).toBe(xs.length);
    expect(h.sum).toBe(sum);
    expect(h.mean).toBe(sum / xs.length);
    expect([h.min, h.max]).toEqual([min, max]);
  });

  it('zeros: exact 0 while the quantile falls among them', () => {
    const h = new LogHistogram();
    for (let i = 0; i < 70; i++) h.record(0);
    for (const x of expDraws(30, 1, 2)) h.record(x);
    expect(h.quantile(0)).toBe(0);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.quantile(0.7)).toBe(0);
    expect(h.quantile(0.71)).toBeGreaterThan(0);
    expect(h.min).toBe(0);
  });

  it('empty, NaN, negative and out-of-range values', () => {
    const h = new LogHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean).toBeNaN();
    h.record(NaN);
    expect(h.count).toBe(0);
    h.record(-2);
    h.record(1e-12);
    h.record(1e12);
    expect(h.count).toBe(3);
    expect(h.quantile(0)).toBe(-2);
    expect(h.quantile(0.5)).toBeCloseTo(2 ** -35, 20); // tiny bucket's midpoint
    expect(h.quantile(1)).toBe(1e12);
  });

  it('merge equals recording everything in one histogram', () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    const all = new LogHistogram();
    const xs = expDraws(10_000, 0.1, 3);
    xs.forEach((x, i) => {
      (i % 3 === 0 ? a : b).record(x);
      all.record(x);
    });
    a.record(0);
    all.record(0);
    a.merge(b);
    expect(Array.from(a.counts)).toEqual(Array.from(all.counts));
    expect([a.count, a.min, a.max]).toEqual([all.count, all.min, all.max]);
    expect(a.sum).toBeCloseTo(all.sum, 10);
    for (const q of [0, 0.3, 0.5, 0.99, 1]) expect(a.quantile(q)).toBe(all.quantile(q));
  });

  it('subtract removes a warm-up snapshot; min/max stay valid bounds within one bucket', () => {
    const h = new LogHistogram();
    const after = new LogHistogram();
    for (const x of [1e-6, 50, 3]) h.record(x); // warm-up extremes
    const snap = h.clone();
    const xs = expDraws(5000, 0.2, 4);
    for (const x of xs) {
      h.record(x);
      after.record(x);
    }
    h.subtract(snap);
    expect(Array.from(h.counts)).toEqual(Array.from(after.counts));
    expect(h.count).toBe(after.count);
    expect(h.sum).toBeCloseTo(after.sum, 9);
    expect(h.min).toBeLessThanOrEqual(after.min);
    expect(h.min).toBeGreaterThanOrEqual(after.min / (1 + 1 / 64));
    expect(h.max).toBeGreaterThanOrEqual(after.max);
    expect(h.max).toBeLessThanOrEqual(after.max * (1 + 1 / 64));
    for (const q of [0.01, 0.5, 0.99]) {
      expect(Math.abs(h.quantile(q) / after.quantile(q) - 1)).toBeLessThanOrEqual(1 / 64);
    }
    h.subtract(h.clone());
    expect([h.count, h.sum, h.min, h.max]).toEqual([0, 0, Infinity, -Infinity]);
    expect(() => after.subtract(snap)).toThrow(RangeError);
  });

  it('round-trips through structured clone (toData) and JSON', () => {
    const h = new LogHistogram();
    for (const x of expDraws(1000, 1, 6)) h.record(x);
    h.record(0);
    const viaClone = LogHistogram.fromData(structuredClone(h.toData()));
    const viaJson = LogHistogram.fromJSON(JSON.parse(JSON.stringify(h)));
    for (const g of [viaClone, viaJson, h.clone()]) {
      expect(Array.from(g.counts)).toEqual(Array.from(h.counts));
      expect([g.count, g.sum, g.min, g.max]).toEqual([h.count, h.sum, h.min, h.max]);
    }
    const empty = LogHistogram.fromJSON(JSON.parse(JSON.stringify(new LogHistogram())));
    expect([empty.min, empty.max]).toEqual([Infinity, -Infinity]);
    expect(() => LogHistogram.fromJSON({ ...h.toJSON(), layout: 'other' })).toThrow(RangeError);
  });

  it('recordZero and recordBoth leave exactly what record leaves (the engine uses them on its hot path)', () => {
    const xs = [0, 3.5, 1e-40, 0, 2e40, -1, Number.NaN, -0, 7, Infinity, 0.25];
    const a = new LogHistogram();
    const b = new LogHistogram();
    const viaZero = new LogHistogram();
    const p = new LogHistogram();
    const q = new LogHistogram();
    for (const x of xs) {
      a.record(x);
      b.record(x);
      if (x === 0 && !Object.is(x, -0)) viaZero.recordZero();
      else viaZero.record(x);
      p.recordBoth(q, x);
    }
    const state = (h: LogHistogram) => [Array.from(h.counts), h.count, h.sum, h.min, h.max];
    expect(state(viaZero)).toEqual(state(a));
    expect(state(p)).toEqual(state(a));
    expect(state(q)).toEqual(state(b));
    expect(Object.is(p.sum, a.sum) && Object.is(q.min, a.min)).toBe(true);
  });
});
