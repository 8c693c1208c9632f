/**
 * Shared shapes of the analysis layer: what every closed form returns, and the report that
 * `analyze()` hands to the UI and the CLI.
 *
 * INVARIANT: every number in an `AnalyticNode` has THE SAME MEANING as the field of the same
 * name in the simulator's `NodeSummary` (src/lib/sim/results.ts), so the two can be compared
 * mechanically. A field that is not known exactly is left out, never guessed.
 *
 * Pure data: no functions, no classes, so a report crosses a Worker boundary unchanged.
 */

import type { PercentileName } from '../sim/results';

/** Percentiles of a time distribution, keyed like the simulator's `TimeSummary`. */
export type Quantiles = Record<PercentileName, number>;

/**
 * What a formula returns when its station has no steady state (ρ ≥ 1): no means, ever.
 * `rho` is the offered load per server (or the bottleneck's, for a network).
 */
export interface Unstable {
  stable: false;
  rho: number;
  note: string;
}

export interface AnalyticNode {
  nodeId: string;
  /** e.g. 'M/M/1', 'M/M/c', 'M/M/c/K', 'Erlang B (M/G/c/c)', 'M/G/1 (Pollaczek–Khinchine)',
   * 'M/G/1 priority (non-preemptive)', 'M/G/∞', 'M/G/1-PS', 'Jackson network', 'MVA (closed)' */
  formula: string;
  stable: boolean;
  throughput?: number;
  utilisation?: number;
  inSystem?: number;
  response?: number;
  wait?: number;
  /** Probability an arrival is lost (finite capacity / no waiting room). */
  pBlock?: number;
  station?: { inSystem?: number; response?: number };
  responseQuantiles?: Partial<Record<PercentileName, number>>;
  waitQuantiles?: Partial<Record<PercentileName, number>>;
  byClass?: Record<string, { response?: number; wait?: number }>;
  /** Time-average probability of n in the station, n = 0.. (when known). */
  stateProbabilities?: number[];
  note?: string;
}

export interface AnalyticReport {
  /**
   * Per node id; plus, under `NETWORK_KEY`, the whole network when it fits a closed form
   * (throughput = completions/s at all sinks, inSystem = requests inside the network,
   * response = mean end-to-end time over all completions).
   */
  nodes: Record<string, AnalyticNode>;
}

/**
 * The key of the whole-network entry in `AnalyticReport.nodes`. The '$' keeps it apart from
 * user node ids in practice; `analyze()` leaves it out if a node is really called that.
 */
export const NETWORK_KEY = '$network';
