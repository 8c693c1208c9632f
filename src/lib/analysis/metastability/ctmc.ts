/**
 * The continuous-time Markov chain of PAPERS.md §6 over (q, o), built so that its mean drift is
 * exactly the fluid field of drift.ts.
 *
 * States: q ∈ 0..N requests in the system (N = capacity + c, waiting plus in service) and
 * o ∈ 0..O requests in orbit (waiting to retry), O an explicit truncation. Index o·(N+1) + q, so an
 * orbit level is a contiguous block and the band half-width is N + 2.
 *
 * Transitions out of (q, o), with T = T(q) (timeout.ts), μ_r = R/((R+1)τ), μ_d = 1/((R+1)τ):
 *
 * | event                     | rate           | q < N                     | q = N (queue full)      |
 * |---------------------------|----------------|---------------------------|-------------------------|
 * | first attempt, will time out | λ·T         | (q+1, o+1)                | —                       |
 * | first attempt, in time    | λ·(1 − T)      | (q+1, o)                  | —                       |
 * | first attempt, refused    | λ              | —                         | (N, o+1)                |
 * | retry, in time            | μ_r·o·(1 − T)  | (q+1, o−1)                | —                       |
 * | retry, will time out again | μ_r·o·T       | (q+1, o)                  | —                       |
 * | retry, refused            | μ_r·o          | —                         | stays (N, o)            |
 * | give-up                   | μ_d·o          | (q, o−1)                  | (N, o−1)                |
 * | service completion        | μ·min(q, c)    | (q−1, o)                  | (N−1, o)                |
 *
 * As in the paper, a request that will time out joins the orbit when it arrives (it still takes
 * its place in the queue and is served: wasted work). A refused request fails at once and joins
 * the orbit like a timed-out one. Truncation: at o = O an event that would add to the orbit
 * leaves o at O (the request is dropped from the count); the report says how much time the chain
 * spends at o = O so the truncation can be judged.
 *
 * Check of the drift for q < N: E[Δq] = λT + λ(1−T) + μ_r·o − μ·min(q,c) = λ − μ·min(q,c) + μ_r·o,
 * E[Δo] = λT − μ_r·o·(1−T) − μ_d·o: PAPERS.md §6 exactly.
 */
import { orbitRates, systemBound, type MetastabilityParams } from './params';
import { GeneratorBuilder, type Generator } from './sparse';
import { timeoutTable, type TimeoutModel, type TimeoutTable } from './timeout';

export interface Ctmc {
  params: MetastabilityParams;
  /** N = capacity + servers. */
  N: number;
  /** O: the orbit truncation. */
  O: number;
  generator: Generator;
  timeouts: TimeoutTable;
}

export function stateIndex(N: number, q: number, o: number): number {
  return o * (N + 1) + q;
}

export function buildCtmc(params: MetastabilityParams, orbitBound: number, timeoutModel: TimeoutModel = 'erlang'): Ctmc {
  const N = systemBound(params);
  const O = orbitBound;
  if (!Number.isInteger(O) || O < 0) throw new RangeError(`buildCtmc: expected a whole orbit bound ≥ 0, got ${O}`);
  const timeouts = timeoutTable(N, params.serviceRate, params.servers, params.timeout, timeoutModel);
  const { t, notT } = timeouts;
  const { retry: mr, drop: md } = orbitRates(params);
  const lambda = params.arrivalRate;
  const mu = params.serviceRate;
  const c = params.servers;
  const n = (N + 1) * (O + 1);
  const b = new GeneratorBuilder(n, 6);
  const id = (q: number, o: number) => o * (N + 1) + q;
  for (let o = 0; o <= O; o++) {
    const up = Math.min(o + 1, O);
    for (let q = 0; q <= N; q++) {
      b.startRow(id(q, o));
      if (q < N) {
        b.add(id(q + 1, up), lambda * t[q]);
        b.add(id(q + 1, o), lambda * notT[q]);
        if (o > 0) {
          b.add(id(q + 1, o - 1), mr * o * notT[q]);
          b.add(id(q + 1, o), mr * o * t[q]);
        }
      } else {
        b.add(id(N, up), lambda);
      }
      if (o > 0) b.add(id(q, o - 1), md * o);
      if (q > 0) b.add(id(q - 1, o), mu * Math.min(q, c));
    }
  }
  return { params, N, O, generator: b.finish(), timeouts };
}
