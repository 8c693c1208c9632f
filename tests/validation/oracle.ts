/**
 * Small, independent closed forms used as oracles by the validation suite. Kept apart from
 * src/lib/analysis on purpose: the engine, the analysis layer and these oracles are three
 * separate implementations, so agreement means something.
 */

export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Birth–death chain with arrival rate λ (while below K) and service rate min(n, c)·μ. */
export function mmck(lambda: number, mu: number, c: number, K: number) {
  const p = [1];
  for (let n = 1; n <= K; n++) p.push((p[n - 1] * lambda) / (Math.min(n, c) * mu));
  const z = p.reduce((a, b) => a + b, 0);
  const pn = p.map((x) => x / z);
  const L = pn.reduce((a, x, n) => a + n * x, 0);
  const pBlock = pn[K];
  const X = lambda * (1 - pBlock);
  return { pn, L, pBlock, X, W: L / X };
}

/** GI/M/1: σ = A*(μ(1 − σ)) for the given Laplace transform of the inter-arrival time. */
export function giM1Sigma(lst: (s: number) => number, mu: number): number {
  let lo = 0;
  let hi = 1 - 1e-15;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (lst(mu * (1 - mid)) - mid > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Exact MVA: N users with think time Z, one queueing station with mean service S. */
export function mvaOneStation(N: number, Z: number, S: number) {
  let Q = 0;
  let X = 0;
  let R = 0;
  for (let n = 1; n <= N; n++) {
    R = S * (1 + Q);
    X = n / (Z + R);
    Q = X * R;
  }
  return { X, R, Q };
}
