/** T(q): the exact Erlang tail against independent sums and integrals, and Cantelli's bound above it. */
import { describe, expect, it } from 'vitest';
import { cantelliBound, erlangTail, poissonLogTails, responseMoments, timeoutTable } from './timeout';

/** P(Erlang(k, r) > τ) by the textbook sum e^{−rτ} Σ_{j<k} (rτ)^j / j! (fine for small rτ). */
function erlangTailBySum(k: number, r: number, tau: number): number {
  let term = Math.exp(-r * tau);
  let s = 0;
  for (let j = 0; j < k; j++) {
    s += term;
    term *= (r * tau) / (j + 1);
  }
  return s;
}

/** P(W + S > τ), W ~ Erlang(k, cμ), S ~ Exp(μ), by Simpson's rule on the convolution. */
function hypoTailByQuadrature(k: number, c: number, mu: number, tau: number): number {
  if (k === 0) return Math.exp(-mu * tau);
  const r = c * mu;
  let logFact = 0;
  for (let j = 2; j < k; j++) logFact += Math.log(j);
  const f = (w: number) => (w <= 0 ? (k === 1 ? r : 0) : Math.exp(k * Math.log(r) + (k - 1) * Math.log(w) - r * w - logFact));
  const n = 20000;
  const h = tau / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const w = i * h;
    const g = f(w) * Math.exp(-mu * (tau - w));
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * g;
  }
  return erlangTailBySum(k, r, tau) + (s * h) / 3;
}

describe('T(q), the probability that a request finding q others times out', () => {
  it('one server: T(q) = P(Erlang(q+1, μ) > τ), equal to the textbook sum to 1e-13', () => {
    const { t, notT } = timeoutTable(80, 10, 1, 5, 'erlang');
    for (let q = 0; q <= 80; q++) {
      expect(t[q]).toBeCloseTo(erlangTailBySum(q + 1, 10, 5), 13);
      expect(t[q] + notT[q]).toBeCloseTo(1, 13);
    }
    // The running example's numbers: T(35) is small, T(51) is about 0.6, T(150) is 1.
    expect(t[35]).toBeLessThan(0.03);
    expect(t[50]).toBeGreaterThan(0.5);
    expect(t[80]).toBeGreaterThan(0.999);
  });

  it('c servers: T(q) = P(Erlang(q−c+1, cμ) + Exp(μ) > τ), equal to numerical integration to 1e-7', () => {
    for (const [c, mu, tau] of [
      [2, 3, 2],
      [4, 1, 6],
      [3, 10, 0.5]
    ]) {
      const { t } = timeoutTable(40, mu, c, tau, 'erlang');
      for (let q = 0; q <= 40; q += 3) {
        expect(t[q]).toBeCloseTo(hypoTailByQuadrature(Math.max(0, q - c + 1), c, mu, tau), 7);
      }
    }
  });

  it('Cantelli bound ≥ the exact tail for every q (c = 1, 2, 8)', () => {
    for (const c of [1, 2, 8]) {
      const exact = timeoutTable(300, 10, c, 5, 'erlang').t;
      const bound = timeoutTable(300, 10, c, 5, 'chebyshev').t;
      for (let q = 0; q <= 300; q++) expect(bound[q]).toBeGreaterThanOrEqual(exact[q] - 1e-15);
      // …and strictly looser somewhere in the middle.
      expect(bound[30 * c]).toBeGreaterThan(exact[30 * c]);
    }
  });

  it('Cantelli: σ²/(σ² + (τ − m)²) beyond the mean, 1 below it', () => {
    const { mean, variance } = responseMoments(9, 10, 1);
    expect(mean).toBeCloseTo(1, 15);
    expect(variance).toBeCloseTo(0.1, 15);
    expect(cantelliBound(mean, variance, 5)).toBeCloseTo(0.1 / (0.1 + 16), 15);
    expect(cantelliBound(mean, variance, 0.5)).toBe(1);
  });

  it('large μτ and q neither underflow nor lose the small side', () => {
    const { t, notT } = timeoutTable(12000, 1000, 1, 10, 'erlang'); // μτ = 10⁴
    expect(t[10000]).toBeCloseTo(0.5, 1);
    // 10 standard deviations above the mean: T rounds to 1, but 1 − T keeps its digits.
    expect(t[11000]).toBe(1);
    expect(notT[11000]).toBeGreaterThan(1e-25);
    expect(notT[11000]).toBeLessThan(1e-20);
    expect(t[9000]).toBeGreaterThan(1e-25);
    expect(t[9000]).toBeLessThan(1e-20);
    const { lower, upper } = poissonLogTails(3, 10);
    for (let j = 0; j <= 10; j++) expect(Math.exp(lower[j]) + Math.exp(upper[j])).toBeCloseTo(1, 14);
    expect(erlangTail(0, 1, 1)).toBe(0);
  });
});
