import { describe, expect, it } from 'vitest';
import { normalQuantile } from './distributions';
import { substream } from './rng';
import { betaReg, meanCI, mser5, studentTQuantile } from './stats';

describe('studentTQuantile', () => {
  // Reference values: scipy.stats.t.ppf (SciPy 1.17), which agree with the printed tables.
  const TABLE: [number, number, number][] = [
    [0.975, 1, 12.706204736174694],
    [0.975, 9, 2.262157162798205],
    [0.995, 19, 2.8609346064649794],
    [0.995, 29, 2.756385903670605],
    [0.975, 1000, 1.9623390808264083],
    [0.95, 3, 2.3533634348018233],
    [0.95, 4, 2.1318467863266495],
    [0.99, 3, 4.540702858568132],
    [0.9995, 3, 12.923978636687961],
    [0.975, 2.5, 3.5746548420036817],
    [0.999999, 3, 103.29946777942898],
    [0.6, 5, 0.2671808657041451],
    [0.975, 19, 2.0930240544083087],
    [0.995, 4, 4.604094871349992],
    [0.9, 7.3, 1.4089223177480423],
    [0.025, 5, -2.5705818356363155],
    [0.9999999, 10, 12.492209688254745],
    [0.975, 1e5, 1.9599877075346095],
    [0.975, 3e6, 1.9599647752974443]
  ];

  it('matches reference values to 1e-9 relative (1e-6 required)', () => {
    for (const [p, df, t] of TABLE) {
      expect(Math.abs(studentTQuantile(p, df) / t - 1), `t(${p}, ${df})`).toBeLessThan(1e-9);
    }
  });

  it('brief’s table values to 1e-7', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 6);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2621572, 7);
    expect(studentTQuantile(0.995, 19)).toBeCloseTo(2.8609346, 7);
    expect(studentTQuantile(0.995, 29)).toBeCloseTo(2.7563859, 7);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623391, 7);
  });

  it('closed forms, symmetry, limits', () => {
    expect(studentTQuantile(0.75, 1)).toBeCloseTo(1, 14); // tan(π/4)
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749464, 12);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.25, 6)).toBe(-studentTQuantile(0.75, 6)); // 1 − 0.75 is exact
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(normalQuantile(0.975), 12);
    expect(studentTQuantile(1, 5)).toBe(Infinity);
    expect(studentTQuantile(0, 5)).toBe(-Infinity);
    expect(studentTQuantile(0.9, 0)).toBeNaN();
    // Monotone in p and decreasing in df.
    let prev = -Infinity;
    for (let p = 0.01; p < 1; p += 0.01) {
      const t = studentTQuantile(p, 4);
      expect(t).toBeGreaterThan(prev);
      prev = t;
    }
    for (let df = 1; df < 200; df++) {
      expect(studentTQuantile(0.975, df + 1)).toBeLessThan(studentTQuantile(0.975, df));
    }
  });

  it('betaReg special cases', () => {
    expect(betaReg(1, 1, 0.3)).toBeCloseTo(0.3, 14); // uniform
    expect(betaReg(2, 1, 0.5)).toBeCloseTo(0.25, 14); // x²
    expect(betaReg(0.5, 0.5, 0.5)).toBeCloseTo(0.5, 14); // arcsine, symmetric
  });
});

describe('meanCI', () => {
  it('Student-t interval for a small sample', () => {
    const r = meanCI([1, 2, 3, 4, 5], 0.95);
    const hw = (studentTQuantile(0.975, 4) * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(r.mean).toBe(3);
    expect(r.halfWidth).toBeCloseTo(hw, 14);
    expect(r.halfWidth).toBeCloseTo(1.9632432, 6);
    expect(r.ci[0]).toBeCloseTo(3 - hw, 14);
    expect(r.ci[1]).toBeCloseTo(3 + hw, 14);
  });

  it('ignores NaN; n = 1 gives a point; n = 0 gives NaN', () => {
    const r = meanCI(new Float64Array([NaN, 1, 2, 3, 4, 5, NaN]), 0.95);
    expect(r).toEqual(meanCI([1, 2, 3, 4, 5], 0.95));
    expect(meanCI([NaN, 4], 0.99)).toEqual({ mean: 4, ci: [4, 4], halfWidth: 0 });
    const empty = meanCI([NaN], 0.95);
    expect(empty.mean).toBeNaN();
    expect(empty.halfWidth).toBeNaN();
    expect(meanCI([2, 2, 2], 0.95)).toEqual({ mean: 2, ci: [2, 2], halfWidth: 0 });
  });

  it('covers the true mean at the nominal rate (normal samples, n = 5)', () => {
    const rng = substream(11, 0, 0);
    const trials = 4000;
    let covered = 0;
    const xs = new Float64Array(5);
    for (let t = 0; t < trials; t++) {
      for (let i = 0; i < 5; i++) xs[i] = 10 + 3 * normalQuantile(1 - rng.next());
      const { ci } = meanCI(xs, 0.9);
      if (ci[0] <= 10 && 10 <= ci[1]) covered++;
    }
    // Binomial sd √(0.9·0.1/4000) ≈ 0.0047; allow 5 sd.
    expect(Math.abs(covered / trials - 0.9)).toBeLessThan(5 * 0.0047);
  });
});

describe('mser5', () => {
  /** Exponential decay from 50 toward 5 (time constant tau) plus uniform noise of sd ≈ 2.9. */
  function transient(n: number, tau: number, seed: number): Float64Array {
    const rng = substream(seed, 0, 42);
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = 5 + 45 * Math.exp(-i / tau) + 10 * (rng.next() - 0.5);
    return xs;
  }

  it('cuts after an initial transient', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const xs = transient(10_000, 200, seed);
      const cut = mser5(xs);
      expect(cut % 5).toBe(0);
      // The bias 45·e^{−i/200} falls below 0.1 (far under the noise) after i ≈ 1220; by i = 600
      // it is still 2.2. The cut must land past the bulk of the transient and not eat the run.
      expect(cut, `seed ${seed}`).toBeGreaterThanOrEqual(600);
      expect(cut, `seed ${seed}`).toBeLessThanOrEqual(2500);
      let sum = 0;
      for (let i = cut; i < xs.length; i++) sum += xs[i];
      expect(Math.abs(sum / (xs.length - cut) - 5)).toBeLessThan(0.15);
    }
  });

  it('cuts little from a stationary series', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const rng = substream(seed, 1, 7);
      const xs = new Float64Array(10_000);
      for (let i = 0; i < xs.length; i++) xs[i] = 5 - Math.log(1 - rng.next());
      expect(mser5(xs), `seed ${seed}`).toBeLessThanOrEqual(1000);
    }
  });

  it('never cuts more than half, and handles short series', () => {
    // A series that keeps rising: the minimum would sit at the end without the k/2 cap.
    const rising = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(mser5(rising)).toBeLessThanOrEqual(500);
    expect(mser5([1, 2, 3])).toBe(0);
    expect(mser5([])).toBe(0);
    // The cut indexes the original series: a step at 503 is cut at batch 101 → index 505 or
    // earlier, i.e. a multiple of 5 at or just after the step.
    const step = Float64Array.from({ length: 5000 }, (_, i) => (i < 503 ? 100 : 0));
    expect(mser5(step)).toBe(505);
  });
});
