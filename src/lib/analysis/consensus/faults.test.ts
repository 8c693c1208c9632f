/**
 * The distributions of F against each other (binomial, Poisson-binomial, domains by
 * convolution, by enumeration, by Monte Carlo) and the probability invariants.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binomialPmf,
  convolve,
  domainFaultPmf,
  enumerateDomainFaultPmf,
  poissonBinomialPmf,
  sampleFaultCounts,
  type FailureModel
} from './faults';
import { domainConsensus, monteCarloConsensus, perNodeConsensus, uniformConsensus, wilsonInterval } from './probability';
import type { ConsensusProtocol, Quorums } from './predicates';

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** A probability that is often exactly 0 or 1 and otherwise anywhere in between. */
const prob = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0, 1) },
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }
);

describe('binomial pmf', () => {
  it('matches the closed form for small n', () => {
    for (const n of [0, 1, 2, 5, 12, 30]) {
      for (const p of [0, 1e-6, 0.01, 0.3, 0.5, 0.97, 1]) {
        const exact = Array.from({ length: n + 1 }, (_, k) => choose(n, k) * p ** k * (1 - p) ** (n - k));
        expect(maxAbsDiff(binomialPmf(n, p), exact)).toBeLessThan(1e-14);
      }
    }
  });

  it('is stable for n up to 1000 (no underflow at the mode, sums to 1, symmetric)', () => {
    for (const p of [1e-4, 0.01, 0.5, 0.9, 0.9999]) {
      const pmf = binomialPmf(1000, p);
      expect(Math.abs(sum(pmf) - 1)).toBeLessThan(1e-12);
      expect(pmf.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
      const mean = pmf.reduce((s, x, k) => s + x * k, 0);
      expect(Math.abs(mean - 1000 * p)).toBeLessThan(1e-9 * Math.max(1, 1000 * p));
    }
    // (1 − p)^1000 underflows for p = 0.9, yet the mass at the mode is right: compare with logs.
    const pmf = binomialPmf(1000, 0.9);
    let logC = 0;
    for (let i = 1; i <= 100; i++) logC += Math.log((900 + i) / i);
    const logExact = logC + 900 * Math.log(0.9) + 100 * Math.log(0.1);
    expect(Math.abs(Math.log(pmf[900]) - logExact)).toBeLessThan(1e-11);
    // Symmetry: Bin(n, p)(k) = Bin(n, 1 − p)(n − k).
    const a = binomialPmf(1000, 0.3);
    const b = binomialPmf(1000, 0.7);
    expect(maxAbsDiff(a, [...b].reverse())).toBeLessThan(1e-15);
  });

  it('1000 Raft nodes at p = 0.4 are live with P(F ≤ 499); at 0.6 almost never', () => {
    const lo = uniformConsensus('raft', 1000, 0.4);
    const hi = uniformConsensus('raft', 1000, 0.6);
    expect(lo.pLive).toBeGreaterThan(1 - 1e-9);
    expect(hi.pLive).toBeLessThan(1e-9);
    expect(lo.pNotLive).toBeGreaterThan(0);
    // The tail P(F ≥ 500) against a log-space reference: relative accuracy, not 1 − p.
    const logFact = [0];
    for (let i = 1; i <= 1000; i++) logFact.push(logFact[i - 1] + Math.log(i));
    let tail = 0;
    for (let k = 500; k <= 1000; k++) {
      tail += Math.exp(logFact[1000] - logFact[k] - logFact[1000 - k] + k * Math.log(0.4) + (1000 - k) * Math.log(0.6));
    }
    expect(Math.abs(lo.pNotLive - tail) / tail).toBeLessThan(1e-9);
  });
});

describe('Poisson-binomial pmf', () => {
  it('equals the binomial when every p_i is p (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), prob, (n, p) => {
        const pb = poissonBinomialPmf(new Array<number>(n).fill(p));
        return maxAbsDiff(pb, binomialPmf(n, p)) < 1e-12;
      }),
      { numRuns: 300 }
    );
  });

  it('is the convolution of Bernoullis, sums to 1, and has mean Σ p_i (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(prob, { maxLength: 40 }), (ps) => {
        const pmf = poissonBinomialPmf(ps);
        const byConv = ps.reduce<number[]>((acc, p) => convolve(acc, [1 - p, p]), [1]);
        const mean = pmf.reduce((s, x, k) => s + x * k, 0);
        return (
          maxAbsDiff(pmf, byConv) < 1e-13 &&
          Math.abs(sum(pmf) - 1) < 1e-12 &&
          Math.abs(mean - sum(ps)) < 1e-10
        );
      })
    );
  });

  it('heterogeneous Raft: 2 solid nodes and 1 flaky one', () => {
    // live iff at most 1 faulty of 3: 1 − P(≥ 2 faulty).
    const [a, b, c] = [0.001, 0.001, 0.2];
    const two = a * b * (1 - c) + a * (1 - b) * c + (1 - a) * b * c + a * b * c;
    const r = perNodeConsensus('raft', [a, b, c]);
    expect(Math.abs(r.pNotLive - two)).toBeLessThan(1e-15);
  });
});

describe('failure domains', () => {
  const modelArb = fc
    .record({
      nodeP: fc.array(prob, { minLength: 1, maxLength: 12 }),
      domainP: fc.array(prob, { minLength: 0, maxLength: 6 }),
      seed: fc.nat()
    })
    .map(({ nodeP, domainP, seed }): FailureModel => {
      // Assign each node to a domain or to none, pseudo-randomly from the seed.
      const domains = domainP.map((p, j) => ({ name: `d${j}`, failureProbability: p, members: [] as number[] }));
      nodeP.forEach((_, i) => {
        const slot = (seed + i * 7919) % (domains.length + 1);
        if (slot < domains.length) domains[slot].members.push(i);
      });
      return { nodeP, domains };
    });

  it('each node in its own domain with p_d = 0 equals per-node independence; whole-domain p adds to the node (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(prob, prob), { minLength: 1, maxLength: 30 }), (pairs) => {
        const nodeP = pairs.map(([p]) => p);
        // Own domain that never fails: exactly per-node independence.
        const own: FailureModel = { nodeP, domains: nodeP.map((_, i) => ({ failureProbability: 0, members: [i] })) };
        if (maxAbsDiff(domainFaultPmf(own), poissonBinomialPmf(nodeP)) > 1e-13) return false;
        // Own domain with d_i: node fails with d_i + (1 − d_i)p_i, still independently.
        const withD: FailureModel = { nodeP, domains: pairs.map(([, d], i) => ({ failureProbability: d, members: [i] })) };
        const marginal = pairs.map(([p, d]) => d + (1 - d) * p);
        return maxAbsDiff(domainFaultPmf(withD), poissonBinomialPmf(marginal)) < 1e-13;
      })
    );
  });

  it('own-domain-per-node equals per-node independence in analyzeReplicas terms too', () => {
    const ps = [0.01, 0.02, 0.05, 0.1, 0.2];
    const a = domainConsensus('raft', { nodeP: ps, domains: ps.map((_, i) => ({ failureProbability: 0, members: [i] })) });
    const b = perNodeConsensus('raft', ps);
    expect(Math.abs(a.pSafeAndLive - b.pSafeAndLive)).toBeLessThan(1e-15);
  });

  it('convolution equals enumeration of all domain outcomes (fast-check)', () => {
    fc.assert(
      fc.property(modelArb, (model) => maxAbsDiff(domainFaultPmf(model), enumerateDomainFaultPmf(model)) < 1e-13)
    );
  });

  it('a rack of 2 of 3 Raft nodes: the rack failing alone breaks the majority', () => {
    // Nodes 0, 1 share rack r (fails with 1%), node 2 alone; nodes fail on their own with 0.1%.
    const model: FailureModel = {
      nodeP: [0.001, 0.001, 0.001],
      domains: [{ name: 'r', failureProbability: 0.01, members: [0, 1] }]
    };
    const r = domainConsensus('raft', model);
    const pNode = 0.001;
    // Not live iff ≥ 2 faulty: rack down (0.01), or rack up and ≥ 2 of 3 independent failures.
    const twoOfThree = 3 * pNode ** 2 * (1 - pNode) + pNode ** 3;
    expect(Math.abs(r.pNotLive - (0.01 + 0.99 * twoOfThree))).toBeLessThan(1e-15);
    // Spread over three racks it is far better.
    const spread = perNodeConsensus('raft', [0.01 + 0.99 * pNode, 0.01 + 0.99 * pNode, pNode]);
    expect(spread.pLive).toBeGreaterThan(r.pLive);
  });

  it('enumeration refuses more than 16 domains; convolution does not care', () => {
    const model: FailureModel = {
      nodeP: new Array<number>(40).fill(0.01),
      domains: Array.from({ length: 20 }, (_, j) => ({ failureProbability: 0.001, members: [2 * j, 2 * j + 1] }))
    };
    expect(() => enumerateDomainFaultPmf(model)).toThrow(RangeError);
    expect(Math.abs(sum(domainFaultPmf(model)) - 1)).toBeLessThan(1e-12);
  });

  it('rejects a node in two domains', () => {
    expect(() =>
      domainFaultPmf({ nodeP: [0.1, 0.1], domains: [{ failureProbability: 0, members: [0] }, { failureProbability: 0, members: [0, 1] }] })
    ).toThrow(RangeError);
  });
});

describe('Monte Carlo', () => {
  const model: FailureModel = {
    nodeP: [0.02, 0.05, 0.05, 0.1, 0.02, 0.3, 0.01],
    domains: [
      { name: 'a', failureProbability: 0.05, members: [0, 1, 2] },
      { name: 'b', failureProbability: 0.1, members: [3, 4] }
    ]
  };

  it('agrees with exact enumeration within its 95% interval (Raft and PBFT)', () => {
    for (const protocol of ['raft', 'pbft'] as const) {
      const exact = domainConsensus(protocol, model, undefined, 'enumeration');
      const mc = monteCarloConsensus(protocol, model, undefined, { samples: 200_000, seed: 7 });
      expect(mc.samples).toBe(200_000);
      for (const [key, value] of [
        ['safe', exact.pSafe],
        ['live', exact.pLive],
        ['safeAndLive', exact.pSafeAndLive]
      ] as const) {
        const [lo, hi] = mc[key].ci;
        expect(value, `${protocol} ${key}: exact ${value} in [${lo}, ${hi}]?`).toBeGreaterThanOrEqual(lo);
        expect(value).toBeLessThanOrEqual(hi);
        expect(hi - lo).toBeLessThan(0.01);
      }
    }
  });

  it('is deterministic for a seed and different across seeds', () => {
    const a = sampleFaultCounts(model, { samples: 1000, seed: 3 });
    const b = sampleFaultCounts(model, { samples: 1000, seed: 3 });
    const c = sampleFaultCounts(model, { samples: 1000, seed: 4 });
    expect(a.counts).toEqual(b.counts);
    expect(a.counts).not.toEqual(c.counts);
    expect(sum(a.counts)).toBe(1000);
  });

  it('Wilson interval: inside [0, 1], not degenerate at 0 or m successes', () => {
    const [lo, hi] = wilsonInterval(1000, 1000);
    expect(hi).toBe(1);
    expect(lo).toBeLessThan(1);
    expect(lo).toBeGreaterThan(0.99);
    const [lo0, hi0] = wilsonInterval(0, 1000);
    expect(lo0).toBe(0);
    expect(hi0).toBeGreaterThan(0);
  });
});

describe('invariants of the probabilities (fast-check)', () => {
  const quorumsArb = (n: number) =>
    fc.option(
      fc.record(
        {
          persistence: fc.integer({ min: 1, max: n }),
          viewChange: fc.integer({ min: 1, max: n }),
          equivocation: fc.integer({ min: 1, max: n }),
          viewChangeTrigger: fc.integer({ min: 1, max: n })
        },
        { requiredKeys: [] }
      ),
      { nil: undefined }
    );
  const caseArb = fc
    .record({
      protocol: fc.constantFrom<ConsensusProtocol>('raft', 'pbft'),
      ps: fc.array(prob, { minLength: 1, maxLength: 25 }),
      uniform: fc.boolean()
    })
    .chain(({ protocol, ps, uniform }) =>
      quorumsArb(ps.length).map((quorums) => ({ protocol, ps, uniform, quorums: quorums as Partial<Quorums> | undefined }))
    );

  it('every probability is in [0, 1], complements add to 1, and P(safe and live) ≤ min(P(safe), P(live))', () => {
    fc.assert(
      fc.property(caseArb, ({ protocol, ps, uniform, quorums }) => {
        const r = uniform ? uniformConsensus(protocol, ps.length, ps[0], quorums) : perNodeConsensus(protocol, ps, quorums);
        const all = [r.pSafe, r.pLive, r.pSafeAndLive, r.pUnsafe, r.pNotLive, r.pNotSafeAndLive];
        const eps = 1e-12;
        return (
          all.every((x) => x >= 0 && x <= 1) &&
          r.pSafeAndLive <= Math.min(r.pSafe, r.pLive) + eps &&
          r.pSafeAndLive >= r.pSafe + r.pLive - 1 - eps &&
          Math.abs(r.pSafe + r.pUnsafe - 1) < eps &&
          Math.abs(r.pLive + r.pNotLive - 1) < eps &&
          Math.abs(r.pSafeAndLive + r.pNotSafeAndLive - 1) < eps
        );
      }),
      { numRuns: 500 }
    );
  });

  it('Monte Carlo estimates and intervals are in [0, 1] and ordered', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ protocol, ps, quorums }, seed) => {
        const r = monteCarloConsensus(protocol, { nodeP: ps, domains: [] }, quorums, { samples: 200, seed });
        return (['safe', 'live', 'safeAndLive'] as const).every((k) => {
          const { estimate, ci } = r[k];
          return ci[0] >= 0 && ci[1] <= 1 && ci[0] <= estimate && estimate <= ci[1];
        }) && r.safeAndLive.estimate <= Math.min(r.safe.estimate, r.live.estimate);
      }),
      { numRuns: 100 }
    );
  });
});
