import { describe, expect, it } from 'vitest';
import type { Dist } from '../model/types';
import {
  acklam,
  distCdf,
  distIssue,
  distMean,
  distQuantile,
  distSecondMoment,
  distVariance,
  erfc,
  gamma,
  gammaP,
  gammaQ,
  lnGamma,
  makeSampler,
  normalCdf,
  normalQuantile,
  Z99
} from './distributions';
import { streamId, substream } from './rng';

/*
 * Raw moments E[X^n] (n ≤ 4) from textbook closed forms, written independently of the module
 * under test, so the tolerance of each statistical check can be derived from the exact fourth
 * central moment: SE(mean) = σ/√n, SE(sample variance) ≈ √((μ4 − σ⁴)/n).
 */
function rawMoment(d: Dist, n: number): number {
  const fact = [1, 1, 2, 6, 24];
  switch (d.dist) {
    case 'det':
      return d.value ** n;
    case 'exp':
      return fact[n] * d.mean ** n;
    case 'uniform':
      return (d.max ** (n + 1) - d.min ** (n + 1)) / ((n + 1) * (d.max - d.min));
    case 'erlang': {
      const theta = d.mean / d.k;
      let m = 1;
      for (let i = 0; i < n; i++) m *= (d.k + i) * theta;
      return m;
    }
    case 'hyperexp': {
      const total = d.p.reduce((a, b) => a + b, 0);
      return d.p.reduce((acc, p, i) => acc + (p / total) * fact[n] * d.means[i] ** n, 0);
    }
    case 'lognormal': {
      const mu = Math.log(d.median);
      const s = (Math.log(d.p99) - mu) / 2.3263478740408408;
      return Math.exp(n * mu + (n * n * s * s) / 2);
    }
    case 'pareto':
      return d.alpha > n ? (d.alpha * d.min ** n) / (d.alpha - n) : Infinity;
    case 'weibull':
      return d.scale ** n * Math.exp(lnGamma(1 + n / d.shape));
    case 'bimodal':
      return d.p * rawMoment(d.slow, n) + (1 - d.p) * rawMoment(d.fast, n);
    case 'empirical':
      return d.samples.reduce((a, x) => a + x ** n, 0) / d.samples.length;
  }
}

function centralMoments(d: Dist) {
  const [m1, m2, m3, m4] = [1, 2, 3, 4].map((n) => rawMoment(d, n));
  const v = m2 - m1 * m1;
  const mu4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
  return { mean: m1, variance: v, mu4 };
}

interface Case {
  name: string;
  d: Dist;
  draws?: number;
  /** false for atoms: skip the cdf(quantile(q)) = q round trip. */
  continuous?: boolean;
}

const CASES: Case[] = [
  { name: 'det', d: { dist: 'det', value: 0.25 }, continuous: false },
  { name: 'exp', d: { dist: 'exp', mean: 0.5 } },
  { name: 'uniform', d: { dist: 'uniform', min: 0, max: 2 } },
  { name: 'uniform (µs)', d: { dist: 'uniform', min: 1e-6, max: 3e-6 } },
  { name: 'erlang k=3', d: { dist: 'erlang', k: 3, mean: 1 } },
  // k = 1000: the product of uniforms underflows (≈ e^-1000) and must be flushed to the log.
  { name: 'erlang k=1000', d: { dist: 'erlang', k: 1000, mean: 2 }, draws: 20_000 },
  { name: 'hyperexp 2', d: { dist: 'hyperexp', p: [0.9, 0.1], means: [0.1, 5] } },
  // Unnormalised weights are normalised.
  { name: 'hyperexp 3', d: { dist: 'hyperexp', p: [1, 2, 1], means: [0.01, 0.1, 1] } },
  { name: 'lognormal', d: { dist: 'lognormal', median: 1, p99: 10 } },
  { name: 'lognormal (ms)', d: { dist: 'lognormal', median: 0.002, p99: 0.005 } },
  { name: 'pareto α=5', d: { dist: 'pareto', alpha: 5, min: 1 } },
  { name: 'weibull k=0.7', d: { dist: 'weibull', shape: 0.7, scale: 2 } },
  { name: 'weibull k=3', d: { dist: 'weibull', shape: 3, scale: 1 } },
  {
    name: 'bimodal exp/lognormal',
    d: {
      dist: 'bimodal',
      p: 0.05,
      fast: { dist: 'exp', mean: 0.01 },
      slow: { dist: 'lognormal', median: 0.5, p99: 2 }
    }
  },
  {
    name: 'bimodal with an atom',
    d: { dist: 'bimodal', p: 0.2, fast: { dist: 'uniform', min: 0, max: 1 }, slow: { dist: 'det', value: 3 } },
    continuous: false
  },
  {
    name: 'empirical',
    d: { dist: 'empirical', samples: [0.3, 0.1, 0.2, 0.2, 0.5, 3] },
    continuous: false
  }
];

const QS = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999];

describe('samplers match the exact moments and quantiles (5 standard errors)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const n = c.draws ?? 200_000;
      const sample = makeSampler(c.d);
      const rng = substream(20240601, 0, streamId(c.name));
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = sample(rng);

      const exact = centralMoments(c.d);
      // Relative to the scale: E[X²] − E[X]² in rawMoment cancels for low-variance cases.
      const s2 = rawMoment(c.d, 2);
      expect(Math.abs(distMean(c.d) - exact.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(exact.mean));
      expect(Math.abs(distVariance(c.d) - exact.variance)).toBeLessThanOrEqual(1e-9 * s2);
      expect(Math.abs(distSecondMoment(c.d) - s2)).toBeLessThanOrEqual(1e-12 * s2);

      let sum = 0;
      for (const x of xs) sum += x;
      const mean = sum / n;
      let ss = 0;
      for (const x of xs) ss += (x - mean) * (x - mean);
      const variance = ss / (n - 1);

      const scale = Math.abs(exact.mean) + Math.sqrt(exact.variance);
      const seMean = Math.sqrt(exact.variance / n);
      const seVar = Math.sqrt(Math.max(0, exact.mu4 - exact.variance ** 2) / n);
      expect(Math.abs(mean - exact.mean)).toBeLessThanOrEqual(5 * seMean + 1e-12 * scale);
      expect(Math.abs(variance - exact.variance)).toBeLessThanOrEqual(
        5 * seVar + 1e-12 * scale * scale
      );

      // Quantiles: the empirical CDF at x_q is binomial(n, q)/n, so with F_n(x−) ≤ q ≤ F_n(x)
      // for the true quantile, allow 5 binomial standard errors on each side.
      xs.sort();
      for (const q of QS) {
        const xq = distQuantile(c.d, q);
        const tol = 5 * Math.sqrt((q * (1 - q)) / n) + 1 / n;
        const below = countBelow(xs, xq, false) / n;
        const atOrBelow = countBelow(xs, xq, true) / n;
        expect(atOrBelow).toBeGreaterThanOrEqual(q - tol);
        expect(below).toBeLessThanOrEqual(q + tol);
        if (c.continuous !== false) expect(distCdf(c.d, xq)).toBeCloseTo(q, 9);
        else expect(distCdf(c.d, xq)).toBeGreaterThanOrEqual(q - 1e-12);
      }
    });
  }
});

function countBelow(sorted: Float64Array, x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? sorted[mid] <= x : sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('lognormal fitted from median and p99', () => {
  it('sample median and p99 match the parameters (order-statistic standard errors)', () => {
    const d: Dist = { dist: 'lognormal', median: 0.1, p99: 1.2 };
    const sigma = Math.log(12) / Z99;
    const pdf = (x: number) =>
      Math.exp(-((Math.log(x / 0.1) / sigma) ** 2) / 2) / (x * sigma * Math.sqrt(2 * Math.PI));
    const n = 200_000;
    const s = makeSampler(d);
    const rng = substream(1, 0, 1);
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = s(rng);
    xs.sort();
    for (const [q, x] of [
      [0.5, 0.1],
      [0.99, 1.2]
    ]) {
      const se = Math.sqrt((q * (1 - q)) / n) / pdf(x);
      expect(Math.abs(xs[Math.ceil(q * n) - 1] - x)).toBeLessThan(5 * se);
      expect(distQuantile(d, q)).toBeCloseTo(x, 12);
    }
  });

  it('never returns NaN or infinity at the ends of the uniform grid', () => {
    // Every draw maps to a cell midpoint strictly inside (0, 1), including u = 0 and u = 1 − 2^-53.
    const s = makeSampler({ dist: 'lognormal', median: 1, p99: 10 });
    const lowest = s({ next: () => 0 } as never);
    const highest = s({ next: () => 1 - 2 ** -53 } as never);
    expect(Number.isFinite(lowest) && lowest > 0).toBe(true);
    expect(Number.isFinite(highest) && highest > lowest).toBe(true);
  });
});

describe('closed forms', () => {
  it('exact quantiles', () => {
    expect(distQuantile({ dist: 'exp', mean: 1 }, 0.99)).toBeCloseTo(4.605170185988091, 13);
    expect(distQuantile({ dist: 'exp', mean: 1 }, 0.5)).toBeCloseTo(Math.LN2, 15);
    expect(distQuantile({ dist: 'uniform', min: 1, max: 3 }, 0.25)).toBe(1.5);
    expect(distQuantile({ dist: 'pareto', alpha: 2, min: 1 }, 0.75)).toBeCloseTo(2, 13);
    expect(distQuantile({ dist: 'weibull', shape: 1, scale: 2 }, 0.5)).toBeCloseTo(2 * Math.LN2, 13);
    expect(distQuantile({ dist: 'det', value: 7 }, 0.3)).toBe(7);
    // Erlang-2, mean 1 (rate 2): F(x) = 1 − e^{−2x}(1 + 2x); F(1) = 1 − 3e^{−2}.
    const e2: Dist = { dist: 'erlang', k: 2, mean: 1 };
    expect(distCdf(e2, 1)).toBeCloseTo(1 - 3 * Math.exp(-2), 14);
    expect(distQuantile(e2, 1 - 3 * Math.exp(-2))).toBeCloseTo(1, 12);
    // Hyperexponential: bisection recovers a point of the CDF.
    const h: Dist = { dist: 'hyperexp', p: [0.5, 0.5], means: [1, 3] };
    const fh = 0.5 * (1 - Math.exp(-2)) + 0.5 * (1 - Math.exp(-2 / 3));
    expect(distQuantile(h, fh)).toBeCloseTo(2, 12);
  });

  it('ends of the support', () => {
    expect(distQuantile({ dist: 'exp', mean: 1 }, 1)).toBe(Infinity);
    expect(distQuantile({ dist: 'exp', mean: 1 }, 0)).toBe(0);
    expect(distQuantile({ dist: 'pareto', alpha: 1.5, min: 2 }, 0)).toBe(2);
    expect(distQuantile({ dist: 'empirical', samples: [3, 1, 2] }, 1)).toBe(3);
    expect(distQuantile({ dist: 'empirical', samples: [3, 1, 2] }, 0)).toBe(1);
  });

  it('empirical quantiles use the nearest rank', () => {
    const d: Dist = { dist: 'empirical', samples: [5, 1, 4, 2, 3, 6, 7, 8, 9, 10] };
    expect(distQuantile(d, 0.3)).toBe(3);
    expect(distQuantile(d, 0.31)).toBe(4);
    expect(distQuantile(d, 0.5)).toBe(5);
    expect(distCdf(d, 5)).toBe(0.5);
    expect(distCdf(d, 4.99)).toBe(0.4);
  });

  it('heavy tails: moments that do not exist are Infinity', () => {
    expect(distMean({ dist: 'pareto', alpha: 1, min: 1 })).toBe(Infinity);
    expect(distMean({ dist: 'pareto', alpha: 1.5, min: 1 })).toBeCloseTo(3, 14);
    expect(distVariance({ dist: 'pareto', alpha: 2, min: 1 })).toBe(Infinity);
    expect(distSecondMoment({ dist: 'pareto', alpha: 1.5, min: 1 })).toBe(Infinity);
    const mix: Dist = {
      dist: 'bimodal',
      p: 0,
      fast: { dist: 'exp', mean: 1 },
      slow: { dist: 'pareto', alpha: 1.5, min: 1 }
    };
    expect(distVariance(mix)).toBe(1); // a zero-weight heavy branch contributes nothing
  });

  it('pareto α=1.5 (infinite variance) still samples its quantiles', () => {
    const d: Dist = { dist: 'pareto', alpha: 1.5, min: 0.01 };
    const s = makeSampler(d);
    const rng = substream(3, 0, 3);
    const n = 100_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = s(rng);
    xs.sort();
    for (const q of [0.5, 0.9, 0.99]) {
      const frac = countBelow(xs, distQuantile(d, q), true) / n;
      expect(Math.abs(frac - q)).toBeLessThan(5 * Math.sqrt((q * (1 - q)) / n) + 1 / n);
    }
  });

  it('det draws nothing; exp and weibull one exponential, pareto, lognormal and uniform one uniform (CRN alignment)', () => {
    // Common random numbers across a sweep: changing a mean or a scale must leave the number
    // of draws alone, so each kind takes a fixed number of calls whatever its parameters.
    let uniforms = 0;
    let exponentials = 0;
    const counting = { next: () => (uniforms++, 0.3), exponential: () => (exponentials++, 0.7) } as never;
    makeSampler({ dist: 'det', value: 1 })(counting);
    expect(uniforms + exponentials).toBe(0);
    const cases: [Dist, number, number][] = [
      [{ dist: 'exp', mean: 1 }, 0, 1],
      [{ dist: 'exp', mean: 7 }, 0, 1],
      [{ dist: 'weibull', shape: 2, scale: 1 }, 0, 1],
      [{ dist: 'weibull', shape: 0.5, scale: 3 }, 0, 1],
      [{ dist: 'pareto', alpha: 2, min: 1 }, 1, 0],
      [{ dist: 'lognormal', median: 1, p99: 3 }, 1, 0],
      [{ dist: 'uniform', min: 0, max: 1 }, 1, 0]
    ];
    for (const [d, u, e] of cases) {
      uniforms = 0;
      exponentials = 0;
      makeSampler(d)(counting);
      expect([d.dist, uniforms, exponentials]).toEqual([d.dist, u, e]);
    }
  });

  it('equal distributions share one sampler; −0 and 0 do not (a sampler is pure)', () => {
    expect(makeSampler({ dist: 'exp', mean: 2 })).toBe(makeSampler({ dist: 'exp', mean: 2 }));
    expect(makeSampler({ dist: 'exp', mean: 2 })).not.toBe(makeSampler({ dist: 'exp', mean: 3 }));
    const neg = makeSampler({ dist: 'det', value: -0 });
    const pos = makeSampler({ dist: 'det', value: 0 });
    expect(neg).not.toBe(pos);
    const rng = substream(1, 0, 1);
    expect(Object.is(neg(rng), -0) && Object.is(pos(rng), 0)).toBe(true);
  });

  it('invalid distributions are rejected', () => {
    expect(distIssue({ dist: 'exp', mean: -1 })).not.toBeNull();
    expect(distIssue({ dist: 'erlang', k: 1.5, mean: 1 })).not.toBeNull();
    expect(distIssue({ dist: 'hyperexp', p: [1], means: [1, 2] })).not.toBeNull();
    expect(distIssue({ dist: 'lognormal', median: 2, p99: 1 })).not.toBeNull();
    expect(distIssue({ dist: 'empirical', samples: [] })).not.toBeNull();
    expect(distIssue({ dist: 'weibull', shape: 2, scale: 1 })).toBeNull();
    expect(() => makeSampler({ dist: 'uniform', min: 2, max: 1 })).toThrow(RangeError);
  });
});

describe('special functions', () => {
  it('lnGamma and gamma', () => {
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(100)).toBeCloseTo(359.1342053695754, 10);
    expect(gamma(5)).toBe(24);
    expect(gamma(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 14);
    expect(gamma(0.25)).toBeCloseTo(3.625609908221908, 13);
  });

  it('incomplete gamma and erfc', () => {
    for (const x of [0.01, 0.5, 1, 2, 5, 30]) {
      expect(gammaP(1, x)).toBeCloseTo(-Math.expm1(-x), 14);
      expect(gammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 12);
    }
    expect(erfc(0)).toBeCloseTo(1, 15);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(2) / 0.004677734981047266).toBeCloseTo(1, 12);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 11);
    expect(erfc(10) / 2.088487583762545e-45).toBeCloseTo(1, 10);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14);
  });

  it('normalQuantile: known values and |error| < 1e-9', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.99)).toBeCloseTo(Z99, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 11);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(0.75)).toBe(-normalQuantile(0.25));
    // Round trip through the accurate CDF across the whole range, both tails.
    for (let e = -300; e <= -1; e += 1) {
      const p = 10 ** e;
      const z = normalQuantile(p);
      expect(Math.abs(normalCdf(z) / p - 1)).toBeLessThan(1e-12);
    }
    for (let p = 0.001; p < 1; p += 0.001) {
      const z = normalQuantile(p);
      // |Φ(z) − p| ≤ φ(z)·|Δz|, so a tiny CDF residual bounds the error in z.
      const phi = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      expect(Math.abs(normalCdf(z) - p) / phi).toBeLessThan(1e-12);
      // Raw Acklam (used by the sampler) is within its published 1.15e-9 relative error.
      expect(Math.abs(acklam(p) - z)).toBeLessThanOrEqual(1.2e-9 * Math.abs(z) + 1e-15);
    }
  });
});
