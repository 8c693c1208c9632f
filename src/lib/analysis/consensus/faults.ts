/**
 * The distribution of F, the number of faulty nodes, under three failure models:
 * uniform p (binomial), one p_i per node (Poisson-binomial) and failure domains (a whole
 * domain fails at once, nodes in surviving domains fail on their own). Each function returns
 * the probability mass function as an array indexed by F = 0..n.
 *
 * All exact functions are deterministic; the Monte Carlo sampler draws from a seeded
 * xoshiro128** substream, so the same seed gives the same histogram.
 */
import { streamId, substream } from '../../sim/rng';

/**
 * Binomial(n, p) pmf by the stable ratio recursion anchored at the mode: start from weight 1 at
 * k = ⌊(n + 1)p⌋, walk outwards multiplying by (n − k)/(k + 1) · p/(1 − p) (or its inverse),
 * then normalise. Nothing overflows (every weight ≤ 1), terms far in the tails underflow to 0
 * harmlessly, and each term carries a relative error of about k·ε. Exact for p = 0 and p = 1.
 */
export function binomialPmf(n: number, p: number): number[] {
  checkCount(n);
  checkProbability(p, 'p');
  const pmf = new Array<number>(n + 1).fill(0);
  if (p === 0) {
    pmf[0] = 1;
    return pmf;
  }
  if (p === 1) {
    pmf[n] = 1;
    return pmf;
  }
  const odds = p / (1 - p);
  const mode = Math.min(n, Math.floor((n + 1) * p));
  pmf[mode] = 1;
  for (let k = mode; k < n; k++) pmf[k + 1] = (pmf[k] * ((n - k) / (k + 1))) * odds;
  for (let k = mode; k > 0; k--) pmf[k - 1] = (pmf[k] * (k / (n - k + 1))) / odds;
  return normalise(pmf);
}

/**
 * Poisson-binomial pmf: F = Σ Bernoulli(p_i), independent. The O(n²) dynamic program
 * P_i(k) = P_{i−1}(k)(1 − p_i) + P_{i−1}(k − 1)p_i: every step is a convex combination, so it
 * is stable and exact up to rounding. Equals the binomial when all p_i are equal.
 */
export function poissonBinomialPmf(ps: readonly number[]): number[] {
  ps.forEach((p, i) => checkProbability(p, `p[${i}]`));
  const pmf = new Array<number>(ps.length + 1).fill(0);
  pmf[0] = 1;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    const q = 1 - p;
    pmf[i + 1] = pmf[i] * p;
    for (let k = i; k > 0; k--) pmf[k] = pmf[k] * q + pmf[k - 1] * p;
    pmf[0] *= q;
  }
  return pmf;
}

/** A failure domain: all its members fail together with probability `failureProbability`. */
export interface FailureDomain {
  name?: string;
  failureProbability: number;
  /** Node indices (0-based) in this domain. */
  members: number[];
}

/**
 * Node i fails on its own with nodeP[i]; a node may belong to at most one domain; domains and
 * nodes are mutually independent. A node's marginal failure probability is d + (1 − d)·p_i.
 */
export interface FailureModel {
  nodeP: number[];
  domains: FailureDomain[];
}

/** Throws RangeError when the model is not well formed. */
export function checkFailureModel(model: FailureModel): void {
  const n = model.nodeP.length;
  model.nodeP.forEach((p, i) => checkProbability(p, `nodeP[${i}]`));
  const owner = new Array<number>(n).fill(-1);
  model.domains.forEach((d, j) => {
    checkProbability(d.failureProbability, `domains[${j}].failureProbability`);
    for (const i of d.members) {
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(`domains[${j}].members: node index ${i} is not in 0..${n - 1}`);
      }
      if (owner[i] !== -1) throw new RangeError(`node ${i} is in domains[${owner[i]}] and domains[${j}]`);
      owner[i] = j;
    }
  });
}

/** Domains that hold at least one node: the ones whose outcome changes F. */
export function effectiveDomains(model: FailureModel): FailureDomain[] {
  return model.domains.filter((d) => d.members.length > 0);
}

function loneNodes(model: FailureModel): number[] {
  const inDomain = new Set<number>();
  for (const d of model.domains) for (const i of d.members) inDomain.add(i);
  const out: number[] = [];
  for (let i = 0; i < model.nodeP.length; i++) if (!inDomain.has(i)) out.push(model.nodeP[i]);
  return out;
}

/** The pmf of one domain's faulty count: size m with probability d, else Poisson-binomial of its members. */
function domainPmf(model: FailureModel, d: FailureDomain): number[] {
  const inner = poissonBinomialPmf(d.members.map((i) => model.nodeP[i]));
  const out = inner.map((x) => x * (1 - d.failureProbability));
  out[d.members.length] += d.failureProbability;
  return out;
}

/** Discrete convolution (the pmf of a sum of two independent counts). */
export function convolve(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += ai * b[j];
  }
  return out;
}

/**
 * Exact pmf of F with failure domains, for any number of domains, in O(n²): domains are
 * independent of each other and of the nodes outside them, so F is a sum of independent
 * per-domain counts and its pmf is the convolution of theirs.
 */
export function domainFaultPmf(model: FailureModel): number[] {
  checkFailureModel(model);
  let pmf = poissonBinomialPmf(loneNodes(model));
  for (const d of effectiveDomains(model)) pmf = convolve(pmf, domainPmf(model, d));
  return pmf;
}

/** The most domain outcomes `enumerateDomainFaultPmf` will walk (2^16). */
export const MAX_ENUMERATED_OUTCOMES = 2 ** 16;

/**
 * Exact pmf of F by walking all 2^D outcomes of the D non-empty domains (D ≤ 16): for each
 * outcome, the failed domains' members are faulty and the other nodes follow their
 * Poisson-binomial. A check on `domainFaultPmf` by a different route. Throws RangeError when
 * there are more than 16 non-empty domains.
 */
export function enumerateDomainFaultPmf(model: FailureModel): number[] {
  checkFailureModel(model);
  const domains = effectiveDomains(model);
  if (2 ** domains.length > MAX_ENUMERATED_OUTCOMES) {
    throw new RangeError(`${domains.length} domains: 2^${domains.length} outcomes is more than 2^16 to enumerate`);
  }
  const n = model.nodeP.length;
  const lone = loneNodes(model);
  const memberPmfs = domains.map((d) => poissonBinomialPmf(d.members.map((i) => model.nodeP[i])));
  const pmf = new Array<number>(n + 1).fill(0);
  for (let mask = 0; mask < 2 ** domains.length; mask++) {
    let weight = 1;
    let down = 0;
    let survivors = poissonBinomialPmf(lone);
    domains.forEach((d, j) => {
      if (mask & (1 << j)) {
        weight *= d.failureProbability;
        down += d.members.length;
      } else {
        weight *= 1 - d.failureProbability;
        survivors = convolve(survivors, memberPmfs[j]);
      }
    });
    if (weight === 0) continue;
    for (let k = 0; k < survivors.length; k++) pmf[down + k] += weight * survivors[k];
  }
  return pmf;
}

/** A Monte Carlo histogram of F. */
export interface FaultHistogram {
  /** counts[F] = samples with F faulty nodes. */
  counts: number[];
  samples: number;
  seed: number;
}

export const DEFAULT_MONTE_CARLO_SAMPLES = 100_000;

/**
 * Draws `samples` independent failure configurations (one uniform per domain, then one per
 * node outside failed domains) from the seeded substream (seed, 0, streamId("consensus")).
 */
export function sampleFaultCounts(
  model: FailureModel,
  options: { samples?: number; seed?: number } = {}
): FaultHistogram {
  checkFailureModel(model);
  const samples = options.samples ?? DEFAULT_MONTE_CARLO_SAMPLES;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be a whole number ≥ 1, got ${samples}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  const rng = substream(seed, 0, streamId('consensus'));
  const n = model.nodeP.length;
  const lone: number[] = [];
  const inDomain = new Set<number>();
  for (const d of model.domains) for (const i of d.members) inDomain.add(i);
  for (let i = 0; i < n; i++) if (!inDomain.has(i)) lone.push(model.nodeP[i]);
  const domains = effectiveDomains(model).map((d) => ({
    q: d.failureProbability,
    size: d.members.length,
    ps: d.members.map((i) => model.nodeP[i])
  }));
  const counts = new Array<number>(n + 1).fill(0);
  for (let s = 0; s < samples; s++) {
    let f = 0;
    for (const p of lone) if (rng.next() < p) f++;
    for (const d of domains) {
      if (rng.next() < d.q) f += d.size;
      else for (const p of d.ps) if (rng.next() < p) f++;
    }
    counts[f]++;
  }
  return { counts, samples, seed };
}

function normalise(xs: number[]): number[] {
  let sum = 0;
  for (const x of xs) sum += x;
  return xs.map((x) => x / sum);
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
}

function checkProbability(p: number, name: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
}
