/**
 * P(safe), P(live), P(safe and live): the predicates of predicates.ts summed against a
 * distribution of F from faults.ts. Each probability is returned together with its complement,
 * summed directly over the failing configurations (not computed as 1 − p), so that "nines"
 * stay accurate however close to 1 the probability is.
 */
import {
  domainFaultPmf,
  enumerateDomainFaultPmf,
  binomialPmf,
  poissonBinomialPmf,
  sampleFaultCounts,
  type FailureModel
} from './faults';
import {
  propertyTable,
  resolveQuorums,
  toleratedFaults,
  type ConsensusProtocol,
  type PropertyTable,
  type Quorums
} from './predicates';

export interface ConsensusProbabilities {
  pSafe: number;
  pLive: number;
  pSafeAndLive: number;
  /** 1 − pSafe, summed over the unsafe configurations. */
  pUnsafe: number;
  /** 1 − pLive, summed over the configurations that are not live. */
  pNotLive: number;
  /** 1 − pSafeAndLive, summed over the configurations that are unsafe or not live. */
  pNotSafeAndLive: number;
}

export interface ConsensusResult extends ConsensusProbabilities {
  protocol: ConsensusProtocol;
  n: number;
  quorums: Quorums;
  /** The classic threshold: every F ≤ tolerates is safe and live (−1: not even F = 0). */
  tolerates: number;
  /** P(F = k), k = 0..n. */
  faultPmf: number[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Sums a pmf of F (length n + 1) against the predicates. */
export function probabilitiesFromPmf(table: PropertyTable, pmf: readonly number[]): ConsensusProbabilities {
  if (pmf.length !== table.safe.length) {
    throw new RangeError(`the pmf has ${pmf.length} entries; expected n + 1 = ${table.safe.length}`);
  }
  let safe = 0, unsafe = 0, live = 0, notLive = 0, both = 0, notBoth = 0;
  for (let f = 0; f < pmf.length; f++) {
    const w = pmf[f];
    const s = table.safe[f];
    const l = table.live[f];
    if (s) safe += w;
    else unsafe += w;
    if (l) live += w;
    else notLive += w;
    if (s && l) both += w;
    else notBoth += w;
  }
  // Each pair is renormalised by its own total (1 up to rounding), so a property that holds for
  // every F gets exactly 1 and its complement exactly 0.
  const total = safe + unsafe;
  if (!(total > 0)) throw new RangeError('the pmf has no mass');
  return {
    pSafe: clamp01(safe / total),
    pLive: clamp01(live / total),
    pSafeAndLive: clamp01(both / total),
    pUnsafe: clamp01(unsafe / total),
    pNotLive: clamp01(notLive / total),
    pNotSafeAndLive: clamp01(notBoth / total)
  };
}

function result(protocol: ConsensusProtocol, n: number, partial: Partial<Quorums> | undefined, pmf: number[]): ConsensusResult {
  const quorums = resolveQuorums(protocol, n, partial);
  const table = propertyTable(protocol, n, quorums);
  return { protocol, n, quorums, tolerates: toleratedFaults(table), faultPmf: pmf, ...probabilitiesFromPmf(table, pmf) };
}

/** n nodes, each faulty with probability p independently (binomial). */
export function uniformConsensus(
  protocol: ConsensusProtocol,
  n: number,
  p: number,
  quorums?: Partial<Quorums>
): ConsensusResult {
  return result(protocol, n, quorums, binomialPmf(n, p));
}

/** Node i faulty with probability ps[i], independently (Poisson-binomial). */
export function perNodeConsensus(
  protocol: ConsensusProtocol,
  ps: readonly number[],
  quorums?: Partial<Quorums>
): ConsensusResult {
  return result(protocol, ps.length, quorums, poissonBinomialPmf(ps));
}

/**
 * With failure domains, exactly. `how`: 'convolution' (default; any number of domains, O(n²))
 * or 'enumeration' (all 2^D domain outcomes, D ≤ 16).
 */
export function domainConsensus(
  protocol: ConsensusProtocol,
  model: FailureModel,
  quorums?: Partial<Quorums>,
  how: 'convolution' | 'enumeration' = 'convolution'
): ConsensusResult {
  return result(protocol, model.nodeP.length, quorums, how === 'enumeration' ? enumerateDomainFaultPmf(model) : domainFaultPmf(model));
}

/** A proportion estimated from samples, with its 95% Wilson score interval. */
export interface Estimate {
  estimate: number;
  /** [low, high], 95%. */
  ci: [number, number];
}

export interface ConsensusEstimate {
  protocol: ConsensusProtocol;
  n: number;
  quorums: Quorums;
  tolerates: number;
  samples: number;
  seed: number;
  safe: Estimate;
  live: Estimate;
  safeAndLive: Estimate;
  /** Observed frequency of F = k. */
  faultFrequency: number[];
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson's score interval for k successes in m trials: unlike the normal approximation it stays
 * inside [0, 1] and is not degenerate when k = 0 or k = m (which is the usual case here).
 */
export function wilsonInterval(k: number, m: number, z = Z95): [number, number] {
  if (!(m > 0)) throw new RangeError(`trials must be > 0, got ${m}`);
  const phat = k / m;
  const z2 = z * z;
  const denom = 1 + z2 / m;
  const centre = (phat + z2 / (2 * m)) / denom;
  const half = (z / denom) * Math.sqrt((phat * (1 - phat)) / m + z2 / (4 * m * m));
  return [k === 0 ? 0 : clamp01(centre - half), k === m ? 1 : clamp01(centre + half)];
}

/** Monte Carlo over failure configurations (seeded; deterministic for a given seed). */
export function monteCarloConsensus(
  protocol: ConsensusProtocol,
  model: FailureModel,
  quorums?: Partial<Quorums>,
  options: { samples?: number; seed?: number } = {}
): ConsensusEstimate {
  const n = model.nodeP.length;
  const q = resolveQuorums(protocol, n, quorums);
  const table = propertyTable(protocol, n, q);
  const h = sampleFaultCounts(model, options);
  let safe = 0, live = 0, both = 0;
  h.counts.forEach((c, f) => {
    if (table.safe[f]) safe += c;
    if (table.live[f]) live += c;
    if (table.safe[f] && table.live[f]) both += c;
  });
  const est = (k: number): Estimate => ({ estimate: k / h.samples, ci: wilsonInterval(k, h.samples) });
  return {
    protocol,
    n,
    quorums: q,
    tolerates: toleratedFaults(table),
    samples: h.samples,
    seed: h.seed,
    safe: est(safe),
    live: est(live),
    safeAndLive: est(both),
    faultFrequency: h.counts.map((c) => c / h.samples)
  };
}
