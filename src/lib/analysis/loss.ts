/**
 * Loss systems without a waiting room: Erlang B and M/G/c/c.
 *
 * M/G/c/c is insensitive: with Poisson arrivals its state probabilities, blocking and
 * throughput depend on the service distribution only through its mean (also with several
 * classes of different service: the offered loads add up and every class is blocked with
 * the same probability, by PASTA).
 */

import { normaliseLogWeights } from './numeric';

/**
 * Erlang B: the blocking probability of c servers with offered load a (Erlangs), by the
 * stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). Any whole c ≥ 0, any real a ≥ 0.
 */
export function erlangB(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 0) throw new RangeError(`c must be a whole number ≥ 0, got ${c}`);
  if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`a must be a finite number ≥ 0, got ${a}`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

export interface LossResult {
  /** A loss system always has a steady state. */
  stable: true;
  lambda: number;
  meanService: number;
  c: number;
  /** Offered load a = λ·E[S]. */
  offeredLoad: number;
  /** Probability an arrival finds all c servers busy and is lost (Erlang B). */
  pBlock: number;
  /** Accepted (= departure) rate λ(1 − B). */
  X: number;
  /** Mean number in service = X·E[S] (the carried load). */
  L: number;
  /** Mean time in the station of an accepted request = E[S]. */
  W: number;
  /** No one waits. */
  Wq: 0;
  Lq: 0;
  /** Busy fraction per server, X·E[S]/c. */
  U: number;
  /** Truncated Poisson: p_n ∝ aⁿ/n!, n = 0..c. */
  stateProbabilities: number[];
}

/** M/G/c/c (Erlang's loss system): the insensitive closed form. */
export function mgcc(lambda: number, meanService: number, c: number): LossResult {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be ≥ 0, got ${lambda}`);
  if (!(meanService > 0) || !Number.isFinite(meanService)) {
    throw new RangeError(`E[S] must be > 0, got ${meanService}`);
  }
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`c must be a whole number ≥ 1, got ${c}`);
  const a = lambda * meanService;
  const B = erlangB(c, a);
  const X = lambda * (1 - B);
  const logW = [0];
  for (let n = 1; n <= c; n++) logW.push(logW[n - 1] + Math.log(a / n));
  return {
    stable: true,
    lambda,
    meanService,
    c,
    offeredLoad: a,
    pBlock: B,
    X,
    L: X * meanService,
    W: meanService,
    Wq: 0,
    Lq: 0,
    U: (X * meanService) / c,
    stateProbabilities: normaliseLogWeights(logW).p
  };
}
