/**
 * The closed forms against VALIDATION.md (to 1e-6 where the table gives 6 decimals) and
 * against each other (cross-checks between independent derivations).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erlangB, mgcc } from './loss';
import { erlangC, mm1, mmc, mmcResponseQuantile, mmcResponseTail, mmcWaitQuantile, type MMcResult } from './mmc';
import { mg1kPs, mmck } from './mmck';
import { mgInf, mmInf } from './infinite';
import { md1, mg1Lcfs, mg1PollaczekKhinchine, mg1Ps, type MG1Result } from './mg1';
import {
  mg1PriorityNonPreemptive,
  mg1PriorityPreemptive,
  mmcPriorityNonPreemptive,
  type PriorityResult
} from './priority';
import { gim1, gim1FromLaplace, type GIM1Result } from './gim1';
import { jackson, trafficEquations, type JacksonResult } from './jackson';
import { distMean, distSecondMoment } from './moments';
import { mvaLoadDependent, mvaMulti, mvaSingle } from './mva';

/** |actual − expected| ≤ tol. */
function near(actual: number | undefined, expected: number, tol = 1e-6): void {
  expect(actual).toBeDefined();
  if (Math.abs((actual as number) - expected) > tol) {
    throw new Error(`expected ${expected} ± ${tol}, got ${actual}`);
  }
}

function stable<T extends { stable: boolean }>(r: T): Extract<T, { stable: true }> {
  if (!r.stable) throw new Error(`unexpectedly unstable: ${JSON.stringify(r)}`);
  return r as Extract<T, { stable: true }>;
}

describe('M/M/1 (VALIDATION: λ=1, μ=2)', () => {
  const r = stable(mm1(1, 2)) as MMcResult;
  it('has the expected means', () => {
    near(r.W, 1.0);
    near(r.Wq, 0.5);
    near(r.L, 1.0);
    near(r.U, 0.5);
    near(r.Lq, 0.5);
    near(r.pWait, 0.5);
  });
  it('has sojourn ~ Exp(1)', () => {
    near(r.responseQuantiles.p50, 0.693147);
    near(r.responseQuantiles.p95, 2.995732);
    near(r.responseQuantiles.p99, 4.60517);
  });
  it('has geometric states', () => {
    near(r.stateProbabilities[0], 0.5, 1e-12);
    near(r.stateProbabilities[3], 0.0625, 1e-12);
  });
});

describe('M/M/1 PS and LCFS (VALIDATION: λ=1, μ=2)', () => {
  it('mean sojourn 1.0 for PS', () => near(stable(mg1Ps(1, 0.5)).W, 1.0));
  it('mean sojourn 1.0 for LCFS (preemptive and not)', () => {
    near(stable(mg1Lcfs(1, 0.5, 0.5, true)).W, 1.0);
    near(stable(mg1Lcfs(1, 0.5, 0.5, false)).W, 1.0);
  });
  it('PS is insensitive: same mean for deterministic service', () => near(stable(mg1Ps(1, 0.5)).W, 1.0));
  it('LCFS non-preemptive has the FCFS mean for general service', () => {
    const pk = stable(mg1PollaczekKhinchine(0.5, 1, 4 / 3)) as MG1Result;
    near(stable(mg1Lcfs(0.5, 1, 4 / 3, false)).W, pk.W, 1e-12);
  });
});

describe('M/M/3 Erlang C (VALIDATION: λ=0.2, μ=0.1)', () => {
  const r = stable(mmc(0.2, 0.1, 3)) as MMcResult;
  it('has the expected values', () => {
    near(r.pWait, 0.444444);
    near(r.Wq, 4.444444);
    near(r.L, 2.888889);
    near(erlangC(3, 2), 4 / 9, 1e-12);
  });
  it('waiting p99 = 37.9424', () => {
    near(r.waitQuantiles.p99, 37.9424, 5e-5); // the table gives 4 decimals
    near(r.waitQuantiles.p99, Math.log(4 / 9 / 0.01) / 0.1, 1e-9);
    near(r.waitQuantiles.p50, 0, 0); // P(wait) < 0.5
  });
  it('inverts the sojourn CDF consistently', () => {
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const t = mmcResponseQuantile(0.2, 0.1, 3, q);
      near(mmcResponseTail(0.2, 0.1, 3, t), 1 - q, 1e-12);
    }
  });
});

describe('M/M/3 state probabilities (VALIDATION: λ=10, μ=12)', () => {
  const r = stable(mmc(10, 12, 3)) as MMcResult;
  it('p0..p3', () => {
    near(r.stateProbabilities[0], 0.432133);
    near(r.stateProbabilities[1], 0.360111);
    near(r.stateProbabilities[2], 0.150046);
    near(r.stateProbabilities[3], 0.04168);
  });
  it('sums to 1 and reproduces L', () => {
    near(r.stateProbabilities.reduce((s, p) => s + p, 0), 1, 1e-11);
    near(r.stateProbabilities.reduce((s, p, n) => s + n * p, 0), r.L, 1e-9);
  });
});

describe('M/D/1 (VALIDATION)', () => {
  it('λ=0.8, D=1: Wq=2.0, W=3.0', () => {
    const r = stable(md1(0.8, 1)) as MG1Result;
    near(r.Wq, 2.0);
    near(r.W, 3.0);
  });
  it('NIC scale: 1500 B frames on 10 Gbit/s at ρ=0.8 gives Wq = 2.4 µs', () => {
    const D = (1500 * 8) / 10e9; // 1.2 µs
    const r = stable(md1(0.8 / D, D)) as MG1Result;
    expect(Math.abs(r.Wq - 2.4e-6) / 2.4e-6).toBeLessThan(1e-9);
    near(r.rho, 0.8, 1e-12);
  });
});

describe('M/G/1 uniform(0, 2) (VALIDATION: λ=0.5)', () => {
  it('Wq = 0.666667', () => {
    const S = { dist: 'uniform' as const, min: 0, max: 2 };
    near(stable(mg1PollaczekKhinchine(0.5, distMean(S), distSecondMoment(S))).Wq, 0.666667);
  });
  it('is unstable at ρ ≥ 1 with no means', () => {
    const r = mg1PollaczekKhinchine(1, 1, 2);
    expect(r.stable).toBe(false);
    expect('Wq' in r).toBe(false);
  });
});

describe('M/M/c/K (VALIDATION)', () => {
  it('M/M/2/3, λ=3, μ=4', () => {
    const r = mmck(3, 4, 2, 3);
    near(r.L, 0.76234);
    near(r.pBlock, 0.04936);
    near(r.X, 2.85192);
    near(r.W, r.L / r.X, 1e-12);
  });
  it('M/M/1/5, λ=μ=1', () => {
    const r = mmck(1, 1, 1, 5);
    near(r.pBlock, 1 / 6, 1e-12);
    near(r.L, 2.5, 1e-12);
  });
  it('approaches M/M/c as K grows', () => {
    const big = mmck(5, 2, 3, 5000);
    const inf = stable(mmc(5, 2, 3)) as MMcResult;
    near(big.L, inf.L, 1e-9);
    near(big.Wq, inf.Wq, 1e-9);
    near(big.pBlock, 0, 1e-12);
    inf.stateProbabilities.slice(0, 20).forEach((p, n) => near(big.stateProbabilities[n], p, 1e-12));
  });
  it('is fine with λ ≫ cμ and large K (no overflow)', () => {
    const r = mmck(100, 1, 2, 100_000);
    near(r.X, 2, 1e-9);
    near(r.U, 1, 1e-9);
  });
  it('M/G/1/K-PS equals M/M/1/K', () => {
    near(mg1kPs(1, 1, 5).pBlock, 1 / 6, 1e-12);
  });
});

describe('Erlang B (VALIDATION: 5 servers, 3 Erlang)', () => {
  it('P(block) = 0.110054', () => near(erlangB(5, 3), 0.110054));
  it('equals M/M/c/c blocking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.01, max: 60, noNaN: true }), (c, a) => {
        near(mmck(a, 1, c, c).pBlock, erlangB(c, a), 1e-12);
        near(mgcc(a, 1, c).pBlock, erlangB(c, a), 1e-15);
      })
    );
  });
  it('matches the direct formula (aᶜ/c!)/Σ aᵏ/k! for small c, non-integer a', () => {
    const a = 2.7;
    let sum = 0;
    let term = 1;
    for (let k = 0; k <= 6; k++) {
      if (k > 0) term *= a / k;
      sum += term;
    }
    near(erlangB(6, a), term / sum, 1e-14);
  });
  it('is stable for very large c', () => {
    const b = erlangB(10_000, 9_500);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(0.05);
  });
  it('M/G/c/c state probabilities are the truncated Poisson', () => {
    const r = mgcc(3, 1, 5);
    near(r.stateProbabilities[5], r.pBlock, 1e-14);
    near(r.L, 3 * (1 - r.pBlock), 1e-14);
  });
});

describe('infinite servers', () => {
  it('M/M/∞ never waits and is Poisson', () => {
    const r = mmInf(4, 2);
    expect(r.Wq).toBe(0);
    near(r.L, 2, 1e-15);
    near(r.stateProbabilities[0], Math.exp(-2), 1e-14);
    near(r.responseQuantiles.p50, Math.log(2) / 2, 1e-14);
  });
  it('M/G/∞ handles large loads', () => {
    const r = mgInf(5000, 1);
    near(r.stateProbabilities.reduce((s, p) => s + p, 0), 1, 1e-10);
    near(r.stateProbabilities.reduce((s, p, n) => s + n * p, 0), 5000, 1e-6);
  });
});

describe('Jackson networks (VALIDATION)', () => {
  it('tandem λ=1 → μ1=2 → μ2=3: W = 1.5', () => {
    const r = stable(
      jackson({
        external: [1, 0],
        routing: [
          [0, 1],
          [0, 0]
        ],
        stations: [
          { servers: 1, mu: 2 },
          { servers: 1, mu: 3 }
        ]
      })
    ) as JacksonResult;
    near(r.W, 1.5);
    near(r.throughput, 1, 1e-15);
  });
  it('feedback λ=1, μ=4, return with p=0.5: W = 1.0', () => {
    const r = stable(jackson({ external: [1], routing: [[0.5]], stations: [{ servers: 1, mu: 4 }] })) as JacksonResult;
    near(r.lambda[0], 2, 1e-12);
    near(r.W, 1.0);
  });
  it('reports instability instead of numbers', () => {
    const r = jackson({ external: [1], routing: [[0.8]], stations: [{ servers: 1, mu: 4 }] });
    expect(r.stable).toBe(false);
    if (!r.stable) expect(r.unstable).toEqual([0]);
  });
  it('reports a loop with no exit', () => {
    const r = jackson({ external: [1], routing: [[1]], stations: [{ servers: 1, mu: 4 }] });
    expect(r.stable).toBe(false);
  });
  it('solves a small mesh with a delay station', () => {
    const lambda = trafficEquations(
      [1, 0.5, 0],
      [
        [0, 0.5, 0.3],
        [0.2, 0, 0.5],
        [0, 0.1, 0]
      ]
    )!;
    // Check λ = γ + λP directly.
    const P = [
      [0, 0.5, 0.3],
      [0.2, 0, 0.5],
      [0, 0.1, 0]
    ];
    const g = [1, 0.5, 0];
    for (let j = 0; j < 3; j++) near(lambda[j], g[j] + lambda.reduce((s, l, i) => s + l * P[i][j], 0), 1e-12);
  });
});

describe('priority classes', () => {
  it('non-preemptive (VALIDATION: λ_high=0.2, λ_low=0.6, μ=1): W_high=2.0, W_low=6.0', () => {
    const r = stable(
      mg1PriorityNonPreemptive([
        { lambda: 0.2, meanService: 1, secondMoment: 2, priority: 0 },
        { lambda: 0.6, meanService: 1, secondMoment: 2, priority: 1 }
      ])
    ) as PriorityResult;
    near(r.classes[0].W, 2.0);
    near(r.classes[1].W, 6.0);
    // The order of the input does not matter; the priority number does.
    const swapped = stable(
      mg1PriorityNonPreemptive([
        { lambda: 0.6, meanService: 1, secondMoment: 2, priority: 5 },
        { lambda: 0.2, meanService: 1, secondMoment: 2, priority: 1 }
      ])
    ) as PriorityResult;
    near(swapped.classes[1].W, 2.0);
    near(swapped.classes[0].W, 6.0);
  });
  it('conserves work: the rate-weighted mean wait equals FCFS for exponential service (Kleinrock)', () => {
    const r = stable(
      mg1PriorityNonPreemptive([
        { lambda: 0.2, meanService: 1, secondMoment: 2, priority: 0 },
        { lambda: 0.6, meanService: 1, secondMoment: 2, priority: 1 }
      ])
    ) as PriorityResult;
    near(r.Wq, (stable(mm1(0.8, 1)) as MMcResult).Wq, 1e-12);
  });
  it('equal priorities reduce to FCFS', () => {
    const r = stable(
      mg1PriorityNonPreemptive([
        { lambda: 0.3, meanService: 1, secondMoment: 2, priority: 1 },
        { lambda: 0.2, meanService: 0.5, secondMoment: 0.25, priority: 1 }
      ])
    ) as PriorityResult;
    const es = (0.3 * 1 + 0.2 * 0.5) / 0.5;
    const es2 = (0.3 * 2 + 0.2 * 0.25) / 0.5;
    near(r.classes[0].Wq, (stable(mg1PollaczekKhinchine(0.5, es, es2)) as MG1Result).Wq, 1e-12);
  });
  it('preemptive-resume: the top class sees an M/G/1 alone; lower classes are slower', () => {
    const r = mg1PriorityPreemptive([
      { lambda: 0.2, meanService: 1, secondMoment: 2, priority: 0 },
      { lambda: 0.6, meanService: 1, secondMoment: 2, priority: 1 }
    ]);
    expect(r.stable).toBe(true);
    const hi = r.classes[0];
    const lo = r.classes[1];
    if (!hi.stable || !lo.stable) throw new Error('unstable');
    near(hi.W, (stable(mm1(0.2, 1)) as MMcResult).W, 1e-12);
    // For exponential service the total number is that of M/M/1 (work conservation).
    near(hi.L + lo.L, (stable(mm1(0.8, 1)) as MMcResult).L, 1e-12);
  });
  it('preemptive-resume keeps the stable top class when the total is overloaded', () => {
    const r = mg1PriorityPreemptive([
      { lambda: 0.5, meanService: 1, secondMoment: 2, priority: 0 },
      { lambda: 0.7, meanService: 1, secondMoment: 2, priority: 1 }
    ]);
    expect(r.stable).toBe(false);
    expect(r.classes[0].stable).toBe(true);
    expect(r.classes[1].stable).toBe(false);
    expect(r.W).toBeUndefined();
  });
  it('M/M/c non-preemptive with one class equals M/M/c; with c = 1 equals Cobham', () => {
    const one = stable(mmcPriorityNonPreemptive([{ lambda: 5, priority: 0 }], 2, 3)) as PriorityResult;
    near(one.classes[0].Wq, (stable(mmc(5, 2, 3)) as MMcResult).Wq, 1e-12);
    const c1 = stable(
      mmcPriorityNonPreemptive(
        [
          { lambda: 0.2, priority: 0 },
          { lambda: 0.6, priority: 1 }
        ],
        1,
        1
      )
    ) as PriorityResult;
    near(c1.classes[0].W, 2.0, 1e-12);
    near(c1.classes[1].W, 6.0, 1e-12);
  });
});

describe('GI/M/1', () => {
  it('with exponential inter-arrivals equals M/M/1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.98, noNaN: true }), (rho) => {
        const r = stable(gim1({ dist: 'exp', mean: 1 / rho }, 1)) as GIM1Result;
        const m = stable(mm1(rho, 1)) as MMcResult;
        near(r.sigma, rho, 1e-9);
        near(r.W, m.W, 1e-6 * m.W);
        near(r.Wq, m.Wq, 1e-6 * m.W);
        near(r.responseQuantiles.p99, m.responseQuantiles.p99, 1e-6 * m.responseQuantiles.p99);
        near(r.waitQuantiles.p99, m.waitQuantiles.p99, 1e-6 * m.responseQuantiles.p99);
      })
    );
  });
  it('D/M/1 solves σ = e^{−μD(1−σ)}', () => {
    const r = stable(gim1({ dist: 'det', value: 1 }, 1.25)) as GIM1Result;
    near(r.sigma, Math.exp(-1.25 * (1 - r.sigma)), 1e-12);
    expect(r.Wq).toBeLessThan((stable(mm1(0.8, 1)) as MMcResult).Wq * 1.25);
    near(r.stateProbabilities.reduce((s, p) => s + p, 0), 1, 1e-10);
    near(r.stateProbabilities.reduce((s, p, n) => s + n * p, 0), r.L, 1e-9);
  });
  it('is more congested for more variable arrivals (det < erlang < exp < hyperexp)', () => {
    const mu = 1;
    const W = (d: Parameters<typeof gim1>[0]) => (stable(gim1(d, mu)) as GIM1Result).W;
    const det = W({ dist: 'det', value: 1.25 });
    const erl = W({ dist: 'erlang', k: 3, mean: 1.25 });
    const ex = W({ dist: 'exp', mean: 1.25 });
    const uni = W({ dist: 'uniform', min: 0, max: 2.5 });
    const hyp = W({ dist: 'hyperexp', p: [0.5, 0.5], means: [0.25, 2.25] });
    expect(det).toBeLessThan(erl);
    expect(erl).toBeLessThan(ex);
    expect(uni).toBeLessThan(ex);
    expect(ex).toBeLessThan(hyp);
  });
  it('is unstable at ρ ≥ 1', () => {
    expect(gim1FromLaplace(1, (s) => 1 / (1 + s), 1).stable).toBe(false);
  });
});

describe('MVA', () => {
  /** M/M/1//N machine repairman: N machines, think (up) time Z, one repairman with mean S. */
  function repairman(N: number, S: number, Z: number): { X: number; R: number; Q: number } {
    let sum = 0;
    let term = 1;
    for (let k = 0; k <= N; k++) {
      if (k > 0) term *= ((N - k + 1) * S) / Z;
      sum += term;
    }
    const p0 = 1 / sum;
    const X = (1 - p0) / S;
    const R = N / X - Z;
    return { X, R, Q: X * R };
  }

  it('single class equals the M/M/1//N machine-repairman closed form', () => {
    for (const [N, S, Z] of [
      [1, 1, 1],
      [5, 0.5, 3],
      [20, 1, 10],
      [50, 0.2, 1]
    ]) {
      const r = mvaSingle({ stations: [{ type: 'queue', visits: 1, service: S }], population: N, thinkTime: Z });
      const exact = repairman(N, S, Z);
      near(r.throughput, exact.X, 1e-9 * exact.X);
      near(r.response, exact.R, 1e-9 * exact.R);
      near(r.stations[0].queueLength, exact.Q, 1e-9 * exact.Q);
      near(r.cycleTime * r.throughput, N, 1e-9 * N); // Little on the whole cycle
    }
  });

  it('multi-class with one class equals single-class', () => {
    const stations = [
      { type: 'queue' as const, visits: 2, service: 0.1 },
      { type: 'queue' as const, visits: 1, service: 0.3 },
      { type: 'delay' as const, visits: 3, service: 0.05 }
    ];
    const single = mvaSingle({ stations, population: 12, thinkTime: 1.5 });
    const multi = mvaMulti({
      stations: stations.map((s) => ({ type: s.type, demands: [s.visits * s.service] })),
      population: [12],
      thinkTime: [1.5]
    });
    near(multi.throughput[0], single.throughput, 1e-12);
    near(multi.response[0], single.response, 1e-12);
    multi.stations.forEach((s, i) => near(s.queueLength[0], single.stations[i].queueLength, 1e-12));
  });

  it('two identical classes behave like one class of the total population', () => {
    const multi = mvaMulti({
      stations: [
        { type: 'queue', demands: [0.2, 0.2] },
        { type: 'delay', demands: [0.5, 0.5] }
      ],
      population: [3, 4],
      thinkTime: [1, 1]
    });
    const single = mvaSingle({
      stations: [
        { type: 'queue', visits: 1, service: 0.2 },
        { type: 'delay', visits: 1, service: 0.5 }
      ],
      population: 7,
      thinkTime: 1
    });
    near(multi.throughput[0] + multi.throughput[1], single.throughput, 1e-12);
    near(multi.response[0], single.response, 1e-12);
  });

  /** Finite-source birth–death chain: j at a c-server station, N − j thinking. */
  function birthDeath(N: number, c: number, mu: number, Z: number): { p: number[]; X: number } {
    const w = [1];
    for (let j = 1; j <= N; j++) w.push((w[j - 1] * ((N - j + 1) / Z)) / (Math.min(j, c) * mu));
    const total = w.reduce((s, x) => s + x, 0);
    const p = w.map((x) => x / total);
    const X = p.reduce((s, pj, j) => s + pj * Math.min(j, c) * mu, 0);
    return { p, X };
  }

  it('load-dependent μ(n) = min(n, c)μ agrees with the birth–death chain', () => {
    for (const [N, c, mu, Z] of [
      [10, 3, 1, 5],
      [25, 4, 2, 3],
      [8, 2, 0.5, 20],
      [30, 5, 1, 1]
    ]) {
      const r = mvaLoadDependent({
        stations: [{ type: 'ld', visits: 1, service: 1 / mu, servers: c }],
        population: N,
        thinkTime: Z
      });
      const bd = birthDeath(N, c, mu, Z);
      near(r.throughput, bd.X, 1e-9 * bd.X);
      r.stations[0].marginal!.forEach((p, j) => near(p, bd.p[j], 1e-9));
      near(r.stations[0].queueLength, bd.p.reduce((s, p, j) => s + j * p, 0), 1e-8);
    }
  });

  it('multi-class load-dependent with one class equals single-class load-dependent', () => {
    const ld = mvaLoadDependent({
      stations: [
        { type: 'ld', visits: 1, service: 0.4, servers: 3 },
        { type: 'queue', visits: 2, service: 0.1 }
      ],
      population: 15,
      thinkTime: 2
    });
    const multi = mvaMulti({
      stations: [
        { type: 'ld', demands: [0.4], servers: 3 },
        { type: 'queue', demands: [0.2] }
      ],
      population: [15],
      thinkTime: [2]
    });
    near(multi.throughput[0], ld.throughput, 1e-12);
    multi.stations[0].marginal!.forEach((p, j) => near(p, ld.stations[0].marginal![j], 1e-12));
  });

  it('a one-server load-dependent station equals a queueing station', () => {
    const a = mvaLoadDependent({ stations: [{ type: 'ld', visits: 1, service: 0.3, servers: 1 }], population: 9, thinkTime: 1 });
    const b = mvaSingle({ stations: [{ type: 'queue', visits: 1, service: 0.3 }], population: 9, thinkTime: 1 });
    near(a.throughput, b.throughput, 1e-10);
  });

  it('population 0 gives zeros', () => {
    const r = mvaSingle({ stations: [{ type: 'queue', visits: 1, service: 1 }], population: 0, thinkTime: 1 });
    expect(r.throughput).toBe(0);
  });
});

describe('invariants (property tests)', () => {
  it('M/M/c: Little, state sums, quantiles consistent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.001, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        (c, rho, mu) => {
          const lambda = rho * c * mu;
          const r = mmc(lambda, mu, c);
          if (!r.stable) return;
          near(r.L, lambda * r.W, 1e-9 * Math.max(1, r.L));
          near(r.Lq, lambda * r.Wq, 1e-9 * Math.max(1, r.L));
          const sum = r.stateProbabilities.reduce((s, p) => s + p, 0);
          expect(sum).toBeLessThanOrEqual(1 + 1e-9);
          if (r.stateProbabilities.length < 10_000) expect(sum).toBeGreaterThan(1 - 1e-9);
          const t = r.responseQuantiles.p99;
          near(mmcResponseTail(lambda, mu, c, t), 0.01, 1e-9);
          expect(r.waitQuantiles.p99).toBeLessThanOrEqual(t);
          near(mmcWaitQuantile(lambda, mu, c, 0.99), r.waitQuantiles.p99, 0);
        }
      )
    );
  });
  it('M/M/c/K: conservation λ = X + λ·P(block), L = X·W', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        (c, extra, lambda) => {
          const r = mmck(lambda, 1, c, c + extra);
          near(r.X + lambda * r.pBlock, lambda, 1e-12 * lambda);
          near(r.L, r.X * r.W, 1e-9 * Math.max(1, r.L));
          near(r.stateProbabilities.reduce((s, p) => s + p, 0), 1, 1e-12);
          expect(r.U).toBeLessThanOrEqual(1 + 1e-12);
        }
      )
    );
  });
  it('Jackson tandem of M/M/1 equals the sum of the stations', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1.1, max: 50, noNaN: true }), { minLength: 1, maxLength: 6 }), (mus) => {
        const n = mus.length;
        const routing = mus.map((_, i) => mus.map((__, j) => (j === i + 1 ? 1 : 0)));
        const r = stable(
          jackson({
            external: mus.map((_, i) => (i === 0 ? 1 : 0)),
            routing,
            stations: mus.map((mu) => ({ servers: 1, mu }))
          })
        ) as JacksonResult;
        const sum = mus.reduce((s, mu) => s + 1 / (mu - 1), 0);
        near(r.W, sum, 1e-9 * sum);
        expect(r.stations.length).toBe(n);
      })
    );
  });
});
