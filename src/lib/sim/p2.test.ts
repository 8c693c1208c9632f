import { describe, expect, it } from 'vitest';
import { P2Quantile } from './p2';
import { substream } from './rng';

function exactRank(xs: number[], q: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(q * s.length)) - 1];
}

describe('P2Quantile', () => {
  it('reproduces the worked example of Jain & Chlamtac (1985), median of 20 observations', () => {
    const p = new P2Quantile(0.5);
    const data = [
      0.02, 0.15, 0.74, 3.39, 0.83, 22.37, 10.15, 15.43, 38.62, 15.92, 34.6, 10.28, 1.47, 0.4,
      0.05, 11.39, 0.27, 0.42, 0.09, 11.37
    ];
    for (const x of data) p.add(x);
    // The paper's final marker heights: 0.02, 0.49, 4.44, 17.20, 38.62.
    expect(p.value()).toBeCloseTo(4.44, 2);
  });

  it('tracks p99, p90 and the median of 10k exponential draws within a few percent', () => {
    for (const q of [0.5, 0.9, 0.99]) {
      for (let seed = 1; seed <= 5; seed++) {
        const rng = substream(seed, 0, 99);
        const p2 = new P2Quantile(q);
        const xs: number[] = [];
        for (let i = 0; i < 10_000; i++) {
          const x = -0.05 * Math.log(1 - rng.next());
          xs.push(x);
          p2.add(x);
        }
        const exact = exactRank(xs, q);
        // P² is an estimate; on smooth distributions it stays within a few percent.
        expect(Math.abs(p2.value() / exact - 1), `q=${q} seed=${seed}`).toBeLessThan(0.04);
        expect(p2.count).toBe(10_000);
      }
    }
  });

  it('is exact with fewer than five observations and NaN when empty', () => {
    const p = new P2Quantile(0.5);
    expect(p.value()).toBeNaN();
    p.add(3);
    expect(p.value()).toBe(3);
    p.add(1);
    expect(p.value()).toBe(1); // nearest rank: ⌈0.5·2⌉ = 1st smallest
    p.add(2);
    expect(p.value()).toBe(2);
    p.add(NaN);
    expect(p.count).toBe(3);
    const p99 = new P2Quantile(0.99);
    [5, 4, 3, 2].forEach((x) => p99.add(x));
    expect(p99.value()).toBe(5);
  });

  it('keeps the markers ordered and within [min, max] on adversarial input', () => {
    const p = new P2Quantile(0.99);
    const rng = substream(4, 0, 4);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 20_000; i++) {
      // Sorted runs, repeats and spikes.
      const x = i % 1000 < 500 ? i % 500 : rng.next() < 0.01 ? 1e6 : 7;
      min = Math.min(min, x);
      max = Math.max(max, x);
      p.add(x);
      const v = p.value();
      expect(v >= min && v <= max).toBe(true);
    }
  });

  it('constant input gives the constant; reset starts over', () => {
    const p = new P2Quantile(0.99);
    for (let i = 0; i < 1000; i++) p.add(2.5);
    expect(p.value()).toBe(2.5);
    p.reset();
    expect(p.count).toBe(0);
    expect(p.value()).toBeNaN();
    for (let i = 1; i <= 100; i++) p.add(i);
    // Sorted input is P²'s worst case (the markers lag behind); it still lands near 99.
    expect(Math.abs(p.value() - 99)).toBeLessThanOrEqual(3);
    expect(() => new P2Quantile(1)).toThrow(RangeError);
  });
});
