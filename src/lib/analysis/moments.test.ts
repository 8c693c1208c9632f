import { describe, expect, it } from 'vitest';
import type { Dist } from '../model/types';
import {
  Z99,
  distLaplace,
  distMean,
  distQuantile,
  distScv,
  distSecondMoment,
  exponentialRate,
  gamma,
  lognormalParams,
  logGamma,
  scaleDist
} from './moments';

function near(a: number | undefined, b: number, tol = 1e-12): void {
  expect(a).toBeDefined();
  if (!(Math.abs((a as number) - b) <= tol)) throw new Error(`expected ${b} ± ${tol}, got ${a}`);
}

/** E[g(X)] by midpoint integration of g(Q(u)) over u ∈ (0, 1): a check independent of the closed forms. */
function expectationByQuantile(q: (u: number) => number, g: (x: number) => number, n = 200_000): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += g(q((i + 0.5) / n));
  return s / n;
}

describe('gamma (Lanczos)', () => {
  it('matches known values', () => {
    near(gamma(0.5), Math.sqrt(Math.PI), 1e-14);
    near(gamma(5), 24, 0);
    near(gamma(1.5), Math.sqrt(Math.PI) / 2, 1e-14);
    near(gamma(25.5) / 3.0867705405286966e24, 1, 1e-12);
    near(logGamma(100), 359.1342053695754, 1e-10);
    expect(gamma(200)).toBe(Infinity);
  });
});

describe('moments', () => {
  it('det, exp, uniform, erlang, hyperexp', () => {
    near(distMean({ dist: 'det', value: 3 }), 3);
    near(distSecondMoment({ dist: 'det', value: 3 }), 9);
    near(distSecondMoment({ dist: 'exp', mean: 2 }), 8);
    near(distSecondMoment({ dist: 'uniform', min: 0, max: 2 }), 4 / 3);
    near(distScv({ dist: 'erlang', k: 4, mean: 2 }), 0.25);
    const h: Dist = { dist: 'hyperexp', p: [0.3, 0.7], means: [1, 5] };
    near(distMean(h), 0.3 + 3.5);
    near(distSecondMoment(h), 2 * (0.3 * 1 + 0.7 * 25));
  });
  it('lognormal from median and p99', () => {
    const d: Dist = { dist: 'lognormal', median: 0.01, p99: 0.1 };
    const { mu, sigma } = lognormalParams(0.01, 0.1);
    near(Math.exp(mu + sigma * Z99), 0.1, 1e-15);
    near(distMean(d), 0.01 * Math.exp((sigma * sigma) / 2), 1e-15);
    near(distSecondMoment(d) / Math.exp(2 * mu + 2 * sigma * sigma), 1, 1e-14);
  });
  it('pareto has infinite moments for α ≤ 1 and α ≤ 2', () => {
    expect(distMean({ dist: 'pareto', alpha: 1, min: 1 })).toBe(Infinity);
    near(distMean({ dist: 'pareto', alpha: 1.5, min: 1 }), 3);
    expect(distSecondMoment({ dist: 'pareto', alpha: 2, min: 1 })).toBe(Infinity);
    near(distSecondMoment({ dist: 'pareto', alpha: 3, min: 2 }), 12);
  });
  it('weibull: shape 1 is exponential; shape 2 is Rayleigh', () => {
    near(distMean({ dist: 'weibull', shape: 1, scale: 2 }), 2, 1e-14);
    near(distSecondMoment({ dist: 'weibull', shape: 1, scale: 2 }), 8, 1e-13);
    near(distMean({ dist: 'weibull', shape: 2, scale: 1 }), Math.sqrt(Math.PI) / 2, 1e-14);
    const d: Dist = { dist: 'weibull', shape: 0.7, scale: 1.3 };
    const q = (u: number) => distQuantile(d, u) as number;
    near(distMean(d), expectationByQuantile(q, (x) => x), 2e-3);
  });
  it('bimodal: p is the probability of slow', () => {
    const d: Dist = { dist: 'bimodal', p: 0.1, fast: { dist: 'det', value: 1 }, slow: { dist: 'exp', mean: 10 } };
    near(distMean(d), 0.9 + 1);
    near(distSecondMoment(d), 0.9 + 0.1 * 200);
  });
  it('empirical resamples', () => {
    near(distMean({ dist: 'empirical', samples: [1, 2, 6] }), 3);
    near(distSecondMoment({ dist: 'empirical', samples: [1, 2, 6] }), 41 / 3);
  });
});

describe('Laplace transforms', () => {
  const cases: Dist[] = [
    { dist: 'det', value: 0.7 },
    { dist: 'exp', mean: 0.7 },
    { dist: 'uniform', min: 0.2, max: 1.5 },
    { dist: 'erlang', k: 3, mean: 0.9 },
    { dist: 'hyperexp', p: [0.2, 0.8], means: [3, 0.25] },
    { dist: 'empirical', samples: [0.1, 0.5, 2] },
    { dist: 'bimodal', p: 0.25, fast: { dist: 'exp', mean: 0.1 }, slow: { dist: 'det', value: 2 } }
  ];
  it('is 1 at s = 0 and has slope −E[X] there', () => {
    for (const d of cases) {
      near(distLaplace(d, 0), 1, 1e-15);
      const h = 1e-6;
      near((1 - (distLaplace(d, h) as number)) / h, distMean(d), 1e-5 * Math.max(1, distMean(d)));
    }
  });
  it('uniform agrees with direct integration', () => {
    const d: Dist = { dist: 'uniform', min: 0.2, max: 1.5 };
    const q = (u: number) => 0.2 + 1.3 * u;
    near(distLaplace(d, 2) as number, expectationByQuantile(q, (x) => Math.exp(-2 * x)), 1e-9);
  });
  it('has no closed form for lognormal, pareto, weibull', () => {
    expect(distLaplace({ dist: 'pareto', alpha: 3, min: 1 }, 1)).toBeUndefined();
    expect(distLaplace({ dist: 'lognormal', median: 1, p99: 3 }, 1)).toBeUndefined();
    expect(distLaplace({ dist: 'weibull', shape: 2, scale: 1 }, 1)).toBeUndefined();
  });
});

describe('shape helpers', () => {
  it('recognises exponentials', () => {
    expect(exponentialRate({ dist: 'exp', mean: 0.5 })).toBe(2);
    expect(exponentialRate({ dist: 'erlang', k: 1, mean: 0.5 })).toBe(2);
    expect(exponentialRate({ dist: 'erlang', k: 2, mean: 0.5 })).toBeUndefined();
    expect(exponentialRate({ dist: 'hyperexp', p: [0.5, 0.5], means: [2, 2] })).toBe(0.5);
    expect(exponentialRate({ dist: 'det', value: 1 })).toBeUndefined();
  });
  it('scales distributions', () => {
    const d: Dist = { dist: 'bimodal', p: 0.5, fast: { dist: 'uniform', min: 1, max: 3 }, slow: { dist: 'lognormal', median: 2, p99: 9 } };
    near(distMean(scaleDist(d, 8e-9)), distMean(d) * 8e-9, 1e-22);
  });
  it('quantiles', () => {
    near(distQuantile({ dist: 'exp', mean: 1 }, 0.5), Math.LN2);
    near(distQuantile({ dist: 'pareto', alpha: 2, min: 1 }, 0.75), 2);
    expect(distQuantile({ dist: 'lognormal', median: 1, p99: 2 }, 0.5)).toBeUndefined();
  });
});
