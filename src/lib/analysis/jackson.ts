/**
 * Open Jackson networks: Poisson external arrivals γ, Markov routing P (row sums ≤ 1; the rest
 * leaves), each station M/M/c (c may be Infinity: a delay station, M/M/∞). The traffic
 * equations λ = γ + λP are solved by one linear solve; each station then behaves as an
 * independent M/M/c with arrival rate λᵢ (product form). The network's mean response is
 * L_total / Σγ by Little's law.
 */

import { mmInf, type MMInfResult } from './infinite';
import { mmc, type MMcResult } from './mmc';
import { solveLinear } from './numeric';

/**
 * Solves λ = γ + λP, i.e. (I − Pᵀ)λ = γ. Returns `null` when the system is singular (a closed
 * loop that traffic enters but never leaves). Rates must come out ≥ 0.
 */
export function trafficEquations(external: number[], routing: number[][]): number[] | null {
  const n = external.length;
  if (routing.length !== n || routing.some((r) => r.length !== n)) {
    throw new RangeError('trafficEquations: routing must be n × n');
  }
  for (let i = 0; i < n; i++) {
    const rowSum = routing[i].reduce((s, x) => s + x, 0);
    if (routing[i].some((x) => !(x >= 0)) || rowSum > 1 + 1e-12) {
      throw new RangeError(`trafficEquations: row ${i} must be probabilities summing to ≤ 1`);
    }
  }
  const A = external.map((_, i) => external.map((__, j) => (i === j ? 1 : 0) - routing[j][i]));
  const x = solveLinear(A, external);
  if (!x) return null;
  // Clean round-off: rates are non-negative by construction.
  return x.map((v) => (Math.abs(v) < 1e-15 ? 0 : v));
}

export interface JacksonStation {
  /** Number of servers, or Infinity for a delay station. */
  servers: number;
  /** Service rate per server. */
  mu: number;
}

export interface JacksonNetwork {
  /** External Poisson arrival rate into each station. */
  external: number[];
  /** routing[i][j]: probability that a request leaving station i goes to station j. */
  routing: number[][];
  stations: JacksonStation[];
}

export interface JacksonResult {
  stable: true;
  /** Arrival rate at each station (traffic equations). */
  lambda: number[];
  /** Mean visits per request to each station, λᵢ/Σγ. */
  visits: number[];
  stations: (MMcResult | MMInfResult)[];
  /** Total external arrival rate = network throughput. */
  throughput: number;
  /** Mean number in the network. */
  L: number;
  /** Mean end-to-end response L/Σγ. */
  W: number;
}

export interface JacksonUnstable {
  stable: false;
  lambda: number[] | null;
  /** Per-station utilisation where the rates are known. */
  rho: number[];
  /** Indices of stations with ρ ≥ 1. */
  unstable: number[];
  note: string;
}

/** Solves an open Jackson network, or reports why it has no steady state. */
export function jackson(network: JacksonNetwork): JacksonResult | JacksonUnstable {
  const { external, routing, stations } = network;
  if (stations.length !== external.length) throw new RangeError('jackson: one station per rate');
  const lambda = trafficEquations(external, routing);
  if (!lambda) {
    return {
      stable: false,
      lambda: null,
      rho: [],
      unstable: [],
      note: 'the traffic equations have no solution: some loop is entered but never left'
    };
  }
  const rho = stations.map((s, i) => (s.servers === Infinity ? 0 : lambda[i] / (s.servers * s.mu)));
  const unstable = rho.flatMap((r, i) => (r >= 1 ? [i] : []));
  if (unstable.length > 0) {
    return {
      stable: false,
      lambda,
      rho,
      unstable,
      note: `station(s) ${unstable.join(', ')} have ρ ≥ 1 (${unstable
        .map((i) => rho[i].toPrecision(4))
        .join(', ')}): no steady state`
    };
  }
  const results = stations.map((s, i) =>
    s.servers === Infinity ? mmInf(lambda[i], s.mu) : (mmc(lambda[i], s.mu, s.servers) as MMcResult)
  );
  const throughput = external.reduce((s, x) => s + x, 0);
  const L = results.reduce((s, r) => s + r.L, 0);
  return {
    stable: true,
    lambda,
    visits: lambda.map((l) => (throughput > 0 ? l / throughput : 0)),
    stations: results,
    throughput,
    L,
    W: throughput > 0 ? L / throughput : 0
  };
}
