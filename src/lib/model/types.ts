/**
 * The model document (MODEL.md §1) and its normalised form.
 *
 * Two shapes live here:
 *  - `ModelDocument`: the JSON a user writes, shares and stores. Values may carry units as
 *    strings ("100 ms", "5/s"), params may be omitted (documented defaults apply) and unknown
 *    fields are kept. This is the public contract; change it only with a migration.
 *  - `NormalizedModel`: what `normalize()` produces from a valid document for the engine and the
 *    analysis: every value in base units (seconds, bytes, 1/s, bit/s) as float64, every default
 *    filled, every distribution in canonical form. Never persisted, never shared.
 *
 * Pure TypeScript: no DOM, no Svelte.
 */

export const MODEL_FORMAT = 'systems-sandbox/model';
/** The newest document version. Bump only together with a new migration in migrations.ts. */
export const MODEL_VERSION = 1;

/* ------------------------------------------------------------------------------------------
 * The document, as written (loosely typed where units or unknown fields are allowed).
 * ---------------------------------------------------------------------------------------- */

/** A number in base units, or a string with a unit ("100 ms", "5/s", "1 GiB", "10 Gbit/s"). */
export type Quantity = number | string;

/** A distribution as written; a bare duration means `det`. */
export type DistInput =
  | Quantity
  | { dist: 'det'; value: Quantity }
  | { dist: 'exp'; mean: Quantity }
  | { dist: 'uniform'; min: Quantity; max: Quantity }
  | { dist: 'erlang'; k: number; mean: Quantity }
  | { dist: 'hyperexp'; p: number[]; means: Quantity[] }
  | { dist: 'lognormal'; median: Quantity; p99: Quantity }
  | { dist: 'pareto'; alpha: number; min: Quantity }
  | { dist: 'weibull'; shape: number; scale: Quantity }
  | { dist: 'bimodal'; p: number; fast: DistInput; slow: DistInput }
  | { dist: 'empirical'; samples: Quantity[] };

export interface RunSettingsInput {
  until?: Quantity;
  warmup?: Quantity | 'auto';
  seed?: number;
  replications?: number;
  /** Confidence level of the reported intervals, e.g. 0.95. */
  confidence?: number;
  /** Width of a time-series bucket; default: 1 s, widened so a run has at most 2,000 buckets. */
  bucket?: Quantity;
  [unknown: string]: unknown;
}

export interface NodeInput {
  id: string;
  kind: NodeKind;
  label?: string;
  x?: number;
  y?: number;
  params?: Record<string, unknown>;
  [unknown: string]: unknown;
}

export interface EdgeInput {
  id: string;
  /** "nodeId.port" */
  from: string;
  /** "nodeId.port" */
  to: string;
  weight?: number;
  [unknown: string]: unknown;
}

export interface FaultInput {
  at: Quantity;
  for: Quantity;
  target: string;
  action: FaultAction;
  value?: Quantity;
  [unknown: string]: unknown;
}

export interface ModelDocument {
  format: typeof MODEL_FORMAT;
  version: number;
  name?: string;
  notes?: string;
  run?: RunSettingsInput;
  nodes: NodeInput[];
  edges: EdgeInput[];
  faults?: FaultInput[];
  [unknown: string]: unknown;
}

/* ------------------------------------------------------------------------------------------
 * Kinds.
 * ---------------------------------------------------------------------------------------- */

export const NODE_KINDS = [
  'client',
  'link',
  'queue',
  'server',
  'cores',
  'nic',
  'batcher',
  'spawner',
  'replicas',
  'router',
  'cache',
  'sink'
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const FAULT_ACTIONS = ['rate', 'slowdown', 'pause', 'crash', 'flush', 'latency'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/* ------------------------------------------------------------------------------------------
 * The normalised model: base units, defaults filled.
 * ---------------------------------------------------------------------------------------- */

/** A distribution in canonical form; all times in seconds (or sizes in bytes). */
export type Dist =
  | { dist: 'det'; value: number }
  | { dist: 'exp'; mean: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'erlang'; k: number; mean: number }
  | { dist: 'hyperexp'; p: number[]; means: number[] }
  | { dist: 'lognormal'; median: number; p99: number }
  | { dist: 'pareto'; alpha: number; min: number }
  | { dist: 'weibull'; shape: number; scale: number }
  /** With probability `p` a draw comes from `slow`, otherwise from `fast`. */
  | { dist: 'bimodal'; p: number; fast: Dist; slow: Dist }
  | { dist: 'empirical'; samples: number[] };

export interface RunSettings {
  /** Simulated time to run each replication, seconds. */
  until: number;
  /** Warm-up to delete, seconds, or 'auto' (MSER-5). */
  warmup: number | 'auto';
  seed: number;
  replications: number;
  confidence: number;
  /** Time-series bucket width, seconds (already widened to at most 2,000 buckets). */
  bucket: number;
}

export interface RequestClass {
  name: string;
  weight: number;
  /** Which process handles it (cores); '' when not set. */
  service: string;
  /** Smaller is served first. */
  priority: number;
  /** Size in bytes. */
  size: Dist;
}

export const RETRY_ON = ['timeout', 'reject', 'drop'] as const;
export type RetryOn = (typeof RETRY_ON)[number];

/** A client's retry policy (docs/model-format.md, `client.retry`). A type alias, so it is also a plain record. */
export type RetryParams = {
  /** Attempts per logical request, the first included (1 = no retries). */
  maxAttempts: number;
  /** Delay before retry k (k = 1, 2, ...): none 0; constant `base`; exponential min(cap, base·multiplier^(k−1)). */
  backoff: { kind: 'none' | 'constant' | 'exponential'; base: number; multiplier: number; cap: number };
  jitter: 'none' | 'full' | 'equal' | 'decorrelated';
  /** Which attempt failures are retried. */
  retryOn: RetryOn[];
  /** Token bucket: each new logical request earns `ratio` tokens, time earns `minPerSecond`; a retry spends 1. */
  budget: { ratio: number; minPerSecond: number } | null;
  /** Opens when at least `minRequests` attempt outcomes in the last `window` s fail in a ratio ≥ `failureRatio`. */
  circuitBreaker: { failureRatio: number; window: number; openFor: number; minRequests: number } | null;
};

export interface ClientParams {
  mode: 'open' | 'closed';
  /** Open: mean arrival rate, 1/s (the base rate; MMPP's "off" rate). */
  rate: number;
  process: 'poisson' | 'deterministic' | 'mmpp';
  /** MMPP: rate while bursting (1/s), mean time on and off (s). */
  mmpp: { burstRate: number; meanOn: number; meanOff: number } | null;
  /** Open: an explicit inter-arrival distribution; overrides `rate` and `process` when set. */
  interarrival: Dist | null;
  /** Open: piecewise-constant rate from each `at` on (sorted by `at`); empty when not set. */
  schedule: { at: number; rate: number }[];
  /** Closed: number of users, each thinking then sending one request and awaiting it. */
  users: number;
  thinkTime: Dist;
  classes: RequestClass[];
  /** Seconds after an attempt is sent until the client gives up on it; null for none. */
  timeout: number | null;
  /** A logical request counts as goodput when it succeeds within this many seconds of its first send; null: always. */
  deadline: number | null;
  /** Retries, retry budget and circuit breaker; null: one attempt, no breaker. */
  retry: RetryParams | null;
  /** Whether an attempt the client timed out is removed from the system (servers discard it before starting it). */
  cancelOnTimeout: boolean;
  /** Delay from a completion at a sink until the client learns of it. */
  responseLatency: Dist;
}

export interface LinkParams {
  latency: Dist;
  /** bit/s; Infinity = no serialisation delay. */
  bandwidth: number;
  /** Probability that a request is lost on the link. */
  loss: number;
}

export interface QueueParams {
  /** Infinity when omitted. */
  capacity: number;
  discipline: 'fifo' | 'lifo' | 'priority' | 'codel' | 'adaptive-lifo';
  /** CoDel target sojourn and interval, seconds. */
  target: number;
  interval: number;
  /** 'block': back-pressure on the sender (blocking after service); see kinds/queue.ts. */
  onFull: 'drop' | 'reject' | 'block';
}

export interface ServerParams {
  /** Number of identical servers; Infinity for an infinite-server station. */
  servers: number;
  service: Dist;
  discipline: 'fcfs' | 'ps';
  /** PS: at most this many requests in service at once (Infinity when omitted). */
  limit: number;
  /** Class name → service distribution, overriding `service` for that class. */
  serviceByClass: Record<string, Dist>;
  /** Extra service time (s) per request already in service when one starts. */
  contention: number;
}

export const ROUTER_POLICIES = [
  'random',
  'round-robin',
  'weighted',
  'probabilistic',
  'jsq',
  'p2c',
  'least-outstanding'
] as const;
export type RouterPolicy = (typeof ROUTER_POLICIES)[number];

export interface RouterParams {
  policy: RouterPolicy;
  /** Age of the load information used by jsq / p2c / least-outstanding, seconds (0 = live). */
  staleness: number;
}

export type SinkParams = Record<string, never>;

export interface CoresProcess {
  name: string;
  /** CPU time one request needs from this process's handler. */
  handler: Dist;
  /** Threads: how many of its requests may be in progress at once. */
  threads: number;
}

export interface CoresParams {
  count: number;
  processes: CoresProcess[];
  scheduler: 'per-core' | 'global';
  /** per-core: where a woken thread is queued. */
  placement: 'hash' | 'round-robin' | 'least-loaded';
  workStealing: boolean;
  stealCost: Dist;
  /** global: CPU time to take a thread from the shared run queue. */
  dispatchCost: Dist;
  /** Time slice, seconds; null = run to completion. */
  quantum: number | null;
  contextSwitch: Dist;
  wakeup: Dist;
  [unknown: string]: unknown;
}

export interface NicParams {
  mode: 'kernel' | 'bypass' | 'coherent';
  /** bit/s; Infinity = no serialisation. */
  lineRate: number;
  /** Packets per receive ring (kernel: per RX queue; bypass: per process); Infinity = no limit. */
  ringSize: number;
  rxQueues: number;
  /** NIC pipeline time per packet. */
  perPacket: Dist;
  interruptCost: Dist;
  /** Interrupt moderation: raise once `packets` are pending or `delay` after the first. */
  coalescing: { packets: number; delay: number } | null;
  stackCost: Dist;
  pollCost: Dist;
  /** bypass: process name → the cores that poll its queue (default: spread round-robin). */
  pinned: Record<string, number[]> | null;
  coherenceLatency: Dist;
  processQueue: number;
  tryAgain: number;
  maxThreads: number;
  preemptAt: number;
  [unknown: string]: unknown;
}

export interface BatcherParams {
  policy: 'size' | 'timeout' | 'size-or-timeout' | 'nagle' | 'adaptive';
  maxBatch: number;
  /** Seconds the oldest pending request may wait (timeout, size-or-timeout). */
  maxWait: number;
  /** A flush holds a flusher for fixed + one perItem draw per request in the batch. */
  flushCost: { fixed: Dist; perItem: Dist; [unknown: string]: unknown };
  flushers: number;
  /** Seconds between end-to-end estimates (every policy estimates; adaptive decides by them). */
  window: number;
  /** adaptive: fraction of windows spent in the other mode. */
  probe: number;
  /** adaptive: the batching mode it toggles with flushing at once. */
  adaptiveBatching: 'nagle' | 'size-or-timeout';
  [unknown: string]: unknown;
}

export interface SpawnerParams {
  mechanism: 'fork-exec' | 'posix_spawn' | 'spork';
  /** Parent's resident memory, bytes. */
  parentMemory: number;
  /** fork cost = fixed + perMiB (seconds) × parentMemory in MiB. */
  forkCost: { fixed: Dist; perMiB: number; [unknown: string]: unknown };
  /** posix_spawn cost (flat). */
  spawnCost: Dist;
  /** spork: the fraction of spawns rewritten to posix_spawn; analysis once per binary. */
  spork: { rewritable: number; analysisCost: Dist; [unknown: string]: unknown };
  parents: number;
  /** The child's run time, from spawn to exit (0: the request moves on once spawned). */
  service: Dist;
  /**
   * Consecutive requests one spawn serves: the first pays the spawn cost, the next
   * requestsPerSpawn − 1 pass the parent at no cost (the process already runs). Absent: 1.
   */
  requestsPerSpawn?: number;
  [unknown: string]: unknown;
}

/** Params of kinds whose behaviour lands in later issues are kept as validated, unit-converted records. */
export type OtherParams = Record<string, unknown>;

export type NormalizedNode =
  | { id: string; kind: 'client'; label: string; params: ClientParams }
  | { id: string; kind: 'link'; label: string; params: LinkParams }
  | { id: string; kind: 'queue'; label: string; params: QueueParams }
  | { id: string; kind: 'server'; label: string; params: ServerParams }
  | { id: string; kind: 'router'; label: string; params: RouterParams }
  | { id: string; kind: 'sink'; label: string; params: SinkParams }
  | { id: string; kind: 'cores'; label: string; params: CoresParams }
  | { id: string; kind: 'nic'; label: string; params: NicParams }
  | { id: string; kind: 'batcher'; label: string; params: BatcherParams }
  | { id: string; kind: 'spawner'; label: string; params: SpawnerParams }
  | {
      id: string;
      kind: 'replicas' | 'cache';
      label: string;
      params: OtherParams;
    };

export interface PortRef {
  node: string;
  port: string;
}

export interface NormalizedEdge {
  id: string;
  from: PortRef;
  to: PortRef;
  /** For weighted and probabilistic routing; 1 when omitted. */
  weight: number;
}

export interface NormalizedFault {
  at: number;
  for: number;
  target: string;
  action: FaultAction;
  /** rate: 1/s; slowdown: factor; latency: seconds; otherwise unused (NaN). */
  value: number;
}

export interface NormalizedModel {
  name: string;
  run: RunSettings;
  nodes: NormalizedNode[];
  edges: NormalizedEdge[];
  faults: NormalizedFault[];
}

/* ------------------------------------------------------------------------------------------
 * Results at boundaries (ARCHITECTURE.md: `{ ok, value } | { ok: false, issues }`).
 * ---------------------------------------------------------------------------------------- */

export interface ModelIssue {
  /** Where: "nodes[1].params.capacity", "edges[0].to", "run.until". */
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: ModelIssue[] };
