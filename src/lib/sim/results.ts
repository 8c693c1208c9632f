/**
 * The shape of simulation results: one replication's raw measurements (mergeable, transferable)
 * and the merged summary with confidence intervals. The summary is what the CLI prints with
 * `--json` (docs/cli.md) and what the UI shows; keep its field names stable.
 */

/** A mean over replications with its Student-t confidence interval. */
export interface Estimate {
  mean: number;
  /** [lo, hi]; [mean, mean] with a single replication. */
  ci: [number, number];
}

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p999'] as const;
export type PercentileName = (typeof PERCENTILES)[number];
export const PERCENTILE_LEVELS: Record<PercentileName, number> = {
  p50: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999
};

/**
 * A time distribution: the mean with its interval, and percentiles from the pooled histogram
 * (at most 1% relative error), with intervals from the spread of per-replication percentiles.
 */
export interface TimeSummary extends Estimate {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  percentileCi: Record<PercentileName, [number, number]>;
  /** How many observations after warm-up, summed over replications. */
  count: number;
}

export interface NodeSummary {
  id: string;
  kind: string;
  /** Counts are per replication (mean over replications), after warm-up. */
  arrivals: Estimate;
  departures: Estimate;
  dropped: Estimate;
  /** Drops per replication by reason ("full", "rejected", "busy", "loss", "unrouted"). */
  dropsByReason: Record<string, Estimate>;
  /** Departures per second; for a sink, completions per second. */
  throughput: Estimate;
  /** Time-average number of requests in this node (L). */
  inSystem: Estimate;
  /**
   * Time-average probability of n requests present in this node, n = 0, 1, ... (means over
   * replications); the last entry is "that many or more". Trailing zeros are trimmed.
   */
  occupancy: number[];
  /** Busy fraction per server (servers), or NaN where a node has no servers. */
  utilisation: Estimate;
  /**
   * Time in this node. For a sink: end-to-end time since the request was created.
   * For a queue: time in queue. For a server: time in service.
   */
  response: TimeSummary;
  /**
   * Time waiting before service. For a server: time spent in the queue(s) in front of it.
   * For a queue: time in queue. For a sink: total time the request spent waiting in queues.
   */
  wait: TimeSummary;
  /** Servers only: the station (this server plus the queues in front of it). */
  station?: { inSystem: Estimate; response: TimeSummary };
  /** Sinks only: end-to-end response per request class. */
  byClass?: Record<string, TimeSummary>;
  /**
   * Kind-specific measures, each a mean over replications with its interval: counts per
   * replication, and time averages for measures integrated over time (e.g. CPU shares).
   */
  extras?: Record<string, Estimate>;
  /** Little's law check L ≈ X·W on this node: relative gap |L − X·W| / max(L, ε). */
  littleGap: number;
}

export interface TimeSeries {
  /** Bucket width, seconds; bucket i covers [i·bucket, (i+1)·bucket). */
  bucket: number;
  /** Per node id, the series of the first replication (a run one can follow start to end). */
  nodes: Record<
    string,
    {
      /** Time-average number present. */
      inSystem: number[];
      /** Departures (completions at a sink) per second. */
      throughput: number[];
      drops: number[];
      /** Sinks: p99 of end-to-end time per bucket (from a log histogram); NaN where none completed. Clients: p99 of their response. */
      p99?: number[];
      /** Kind-specific series (clients: offered, attempts, timeouts, good; caches: hits, misses), per second. */
      extras?: Record<string, number[]>;
    }
  >;
}

/**
 * A client's view of its logical requests (client.ts has the semantics). Rates are per second
 * of the measured window; counts are per replication (like node counts); ratios are per
 * replication, then averaged.
 */
export interface ClientSummary {
  id: string;
  /** New logical requests per second. */
  offered: Estimate;
  /** Logical requests that succeeded within the client's deadline, per second. */
  goodput: Estimate;
  /** Logical requests that succeeded (whatever their latency), per second. */
  throughput: Estimate;
  /** Attempts sent, first ones included. */
  attempts: Estimate;
  /** Attempts after the first. */
  retries: Estimate;
  /** Attempts whose timer fired while the client still waited on them (silent losses included). */
  timeouts: Estimate;
  /** Attempts a full queue rejected (`onFull: reject`). */
  rejections: Estimate;
  /** Attempts dropped anywhere (full, busy, loss, unrouted). */
  lost: Estimate;
  /** Completions of attempts the client had given up on. */
  wasted: Estimate;
  /** Sends the open circuit breaker refused. */
  shortCircuited: Estimate;
  /** Retries the retry budget refused. */
  budgetDenied: Estimate;
  breakerOpens: Estimate;
  /** Attempts per logical request. */
  amplification: Estimate;
  /** Successes / logical requests that ended. */
  successRatio: Estimate;
  /** The first replication, per time-series bucket (rates per second; inSystem a time average; p99 NaN where none succeeded). */
  series: {
    bucket: number;
    offered: number[];
    attempts: number[];
    goodput: number[];
    throughput: number[];
    timeouts: number[];
    /** Logical requests not yet ended (waiting on an attempt or on a backoff). */
    inSystem: number[];
    p99: number[];
  };
}

export interface SimSummary {
  model: string;
  seed: number;
  replications: number;
  until: number;
  /** Warm-up deleted per replication (seconds), mean over replications. */
  warmup: number;
  confidence: number;
  nodes: Record<string, NodeSummary>;
  /** Total events processed, all replications. */
  events: number;
  /** Events per second of the engine loop alone (0 when not timed). */
  eventsPerSecond: number;
  series: TimeSeries;
  /** Per client node id (absent in summaries stored before clients were reported). */
  clients?: Record<string, ClientSummary>;
}

/**
 * A small live snapshot of one replication for the run view, sent from a worker at most once
 * per animation frame (latest wins). `nodes` holds, per node in model order, four numbers:
 * [present now, arrivals so far, departures so far, drops so far]. The other arrays hold one
 * number per node in the same order. Everything counts from time 0 (warm-up included).
 */
export interface LiveFrame {
  replication: number;
  /** Simulated time now, seconds. */
  now: number;
  until: number;
  events: number;
  nodeIds: string[];
  nodes: Float64Array;
  /** p99 of the node's response times so far (its `response` histogram: time in node; sinks: end to end; clients: their response); NaN before any. */
  p99: Float64Array;
  /**
   * ∫ busy servers dt up to now, seconds (busy cores of a `cores` node, busy servers of a
   * server; 0 elsewhere). Its increase between two frames over the simulated time between them,
   * divided by the server count, is the utilisation over that interval.
   */
  busy: Float64Array;
  /** Attempts timed out so far (clients); 0 for other kinds. */
  timeouts: Float64Array;
}
