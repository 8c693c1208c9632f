/**
 * One replication of a model: the event loop, the request pool, the node behaviours and the
 * bookkeeping around them (time-series buckets, warm-up checkpoints, faults).
 *
 * Pure and deterministic (ARCHITECTURE.md §3, §8): no clock, no Math.random, no globals. The
 * same model, seed and replication index give the same numbers whether the run is done in one
 * `advance(Infinity)` or in a thousand slices, because nothing here depends on slice bounds.
 *
 * Events are ordered by (time, priority, sequence). Engine events (bucket ticks, checkpoints)
 * come first at equal times, then faults, then node events in the order they were scheduled.
 */
import type { NormalizedModel, ModelIssue } from '../model/types';
import { kindDef } from '../model/kinds/index';
import { Behaviour, type SimContext } from './behaviours/behaviour';
import { BEHAVIOURS, NOT_YET_SIMULATED, type CompileInfo } from './behaviours/index';
import { CacheBehaviour } from './behaviours/cache';
import { ClientBehaviour } from './behaviours/client';
import { LinkBehaviour } from './behaviours/link';
import { ReplicasBehaviour } from './behaviours/replicas';
import { RouterBehaviour } from './behaviours/router';
import { distMean } from './distributions';
import { EventHeap } from './heap';
import { LogHistogram } from './histogram';
import { NodeStats, type StatsSnapshot } from './nodeStats';
import { RequestPool } from './requests';
import type { LiveFrame } from './results';
import { substream, streamId } from './rng';
import { mser5 } from './stats';

/** Local event codes fit in 4 bits; the node index sits above them. */
const LOCAL_BITS = 4;
const LOCAL_MASK = (1 << LOCAL_BITS) - 1;

const PRIO_ENGINE = 0;
const PRIO_FAULT = 1;
const PRIO_NODE = 2;

/* Engine-level event codes (on the pseudo-node after the last real node). */
const TICK = 0;
const CHECKPOINT = 1;
const FAULT_START = 2;
const FAULT_END = 3;
/** The end of the run: a sentinel at `until` after every other event at that time. */
const END = 4;
const PRIO_END = 4095;

/** More events than this without time advancing means the model cannot make progress. */
const MAX_EVENTS_AT_ONE_INSTANT = 10_000_000;

function noProgress(t: number): string {
  return (
    `the model makes no progress: more than ${MAX_EVENTS_AT_ONE_INSTANT.toLocaleString('en-US')} events ` +
    `at t = ${t} s without time advancing (for example closed users with zero think time whose ` +
    'requests fail at once); give the think time, a backoff or a service time a positive duration'
  );
}

const NEXT_F64 = new Float64Array(1);
const NEXT_U64 = new BigUint64Array(NEXT_F64.buffer);

/** The smallest double above a finite x ≥ 0 (exact: the next bit pattern). */
function nextUp(x: number): number {
  NEXT_F64[0] = x;
  NEXT_U64[0] += 1n;
  return NEXT_F64[0];
}

/** Candidate warm-up cuts for `warmup: "auto"`, as fractions of the run. */
export const AUTO_WARMUP_FRACTIONS = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];

/** Serialised histogram (plain data: crosses a Worker boundary by structured clone). */
export type HistogramData = ReturnType<LogHistogram['toJSON']>;

export interface NodeResult {
  id: string;
  kind: string;
  /** Servers (for utilisation): a count, Infinity, or 0 when the node has none. */
  servers: number;
  arrivals: number;
  departures: number;
  drops: number[];
  /** Requests in the node when the run ended (conservation: arrivals = departures + drops + present − present at warm-up). */
  present: number;
  /** ∫ present dt and ∫ busy dt over the measured interval [warmup, until]. */
  area: number;
  busyArea: number;
  /** Time with n present over [warmup, until], n = 0..OCCUPANCY_MAX (last: that many or more). */
  occupancy: Float64Array;
  response: HistogramData;
  wait: HistogramData;
  /** Servers: the station's time (queue in front + service) and ∫ present in the station. */
  station: { area: number; response: HistogramData } | null;
  /** Sinks: end-to-end time per global class. */
  byClass: HistogramData[] | null;
  /**
   * Kind-specific measures over the window (see NodeStats.defineExtra): name → value, where a
   * 'count' is a total over the window and a 'time' is ∫ x dt over it (summarize divides by the
   * window's length to give a time average).
   */
  extras: Record<string, { kind: 'count' | 'time'; value: number }>;
  series: {
    inSystem: Float64Array;
    throughput: Float64Array;
    drops: Float64Array;
    p99: Float64Array | null;
    /**
     * Extras declared with a series (NodeStats.defineExtra): per bucket, a count's increase per
     * second, or a time's average over the bucket.
     */
    extras: Record<string, Float64Array>;
  };
}

/** Measurements over [warmup, until]. */
export interface MeasuredWindow {
  warmup: number;
  systemArea: number;
  nodes: NodeResult[];
}

export interface ReplicationResult {
  replication: number;
  seed: number;
  until: number;
  /** Warm-up deleted, seconds. */
  warmup: number;
  events: number;
  bucket: number;
  classNames: string[];
  /** ∫ requests in the whole system dt over [warmup, until]. */
  systemArea: number;
  nodes: NodeResult[];
  /** The same measurements after every candidate warm-up (first: none), ascending. */
  windows: MeasuredWindow[];
  /** Time-average number of requests in the system per bucket (the warm-up detector's input). */
  systemSeries: Float64Array;
  /** Whether `run.warmup` was "auto" (summarize then picks one cut for all replications). */
  autoWarmup: boolean;
}

/** Why a model cannot be simulated (yet): located issues, or none. */
export function checkSimulable(model: NormalizedModel): ModelIssue[] {
  const issues: ModelIssue[] = [];
  model.nodes.forEach((n, i) => {
    const why = NOT_YET_SIMULATED[n.kind];
    if (why) issues.push({ path: `nodes[${i}].kind`, message: `"${n.id}": ${why}` });
    if (n.kind === 'queue' && (n.params.discipline === 'codel' || n.params.discipline === 'adaptive-lifo')) {
      issues.push({
        path: `nodes[${i}].params.discipline`,
        message: `"${n.id}": discipline ${n.params.discipline} is not simulated yet; use fifo, lifo or priority`
      });
    }
  });
  // A NIC drives the CPU side of its host: it must feed one cores node, alone.
  const nicsOf = new Map<string, number>();
  model.nodes.forEach((n, i) => {
    if (n.kind === 'nic') {
      const outs = model.edges.filter((e) => e.from.node === n.id);
      const target = model.nodes.find((m) => m.id === outs[0]?.to.node);
      if (outs.length !== 1 || target?.kind !== 'cores') {
        issues.push({ path: `nodes[${i}]`, message: `NIC "${n.id}" must feed exactly one cores node (its host)` });
      } else {
        nicsOf.set(target.id, (nicsOf.get(target.id) ?? 0) + 1);
        const c = n.params.coalescing;
        if (c && c.packets > 1 && !(c.delay > 0)) {
          issues.push({
            path: `nodes[${i}].params.coalescing.delay`,
            message: `"${n.id}": coalescing ${c.packets} packets needs a delay > 0, or a lone packet would wait forever`
          });
        }
        if (n.params.rxQueues > 1023) {
          issues.push({ path: `nodes[${i}].params.rxQueues`, message: `"${n.id}": at most 1023 RX queues are simulated` });
        }
        const pinned = n.params.pinned;
        if (pinned && target.kind === 'cores') {
          const procs = target.params.processes.map((p) => p.name);
          for (const [name, list] of Object.entries(pinned)) {
            if (!procs.includes(name)) {
              issues.push({ path: `nodes[${i}].params.pinned.${name}`, message: `"${target.id}" runs no process "${name}"` });
            }
            for (const k of list) {
              if (k >= target.params.count) {
                issues.push({ path: `nodes[${i}].params.pinned.${name}`, message: `core ${k} does not exist: "${target.id}" has ${target.params.count} cores (0–${target.params.count - 1})` });
              }
            }
          }
        }
      }
    }
    if (n.kind === 'cores' && n.params.count > 1023) {
      issues.push({ path: `nodes[${i}].params.count`, message: `"${n.id}": at most 1023 cores are simulated` });
    }
  });
  for (const [id, count] of nicsOf) {
    if (count > 1) issues.push({ path: 'nodes', message: `cores "${id}" is fed by ${count} NICs; a host has one` });
  }
  model.faults.forEach((f, i) => {
    const target = model.nodes.find((n) => n.id === f.target);
    if (f.action === 'crash' && target?.kind === 'cores') {
      issues.push({ path: `faults[${i}].action`, message: 'crashing a core is not simulated yet' });
    }
  });
  model.faults.forEach((f, i) => {
    const target = model.nodes.find((n) => n.id === f.target);
    if (f.action === 'crash' && target?.kind === 'replicas' && Number.isFinite(f.value) && f.value >= (target.params.n as number)) {
      issues.push({
        path: `faults[${i}].value`,
        message: `replica ${f.value} does not exist: "${f.target}" has ${target.params.n as number} (0–${(target.params.n as number) - 1})`
      });
    }
    if (f.action === 'rate' && target?.kind === 'client' && target.params.mode === 'closed') {
      issues.push({ path: `faults[${i}].target`, message: `a rate fault needs an open client; "${f.target}" is closed` });
    }
  });
  if (!model.nodes.some((n) => n.kind === 'client')) {
    issues.push({ path: 'nodes', message: 'the model has no client, so nothing creates requests' });
  }
  return issues;
}

export class SimulationError extends Error {
  constructor(readonly issues: ModelIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  }
}

interface Checkpoint {
  time: number;
  nodes: StatsSnapshot[];
  systemArea: number;
}

export class Replication implements SimContext {
  readonly pool = new RequestPool(1024);
  readonly nodes: Behaviour[] = [];
  bucket = 0;
  now = 0;
  events = 0;
  readonly until: number;
  readonly seed: number;

  /** The model's events (all of priority PRIO_NODE). */
  private readonly heap = new EventHeap(1024);
  /**
   * The engine's events (ticks, checkpoints, faults, the END sentinel), sorted by (time,
   * priority, listing order); `calNext` is the next one. At equal times they come before the
   * model's events (priorities 0 and 1 < PRIO_NODE), except END, which comes after them.
   */
  private readonly calTimes: Float64Array;
  private readonly calLocals: Int32Array;
  private readonly calArgs: Int32Array;
  private calNext = 0;
  private readonly bucketWidth: number;
  private readonly buckets: number;
  private readonly stats: NodeStats[] = [];
  private readonly info: CompileInfo;
  private readonly checkpointTimes: number[];
  private readonly checkpoints: Checkpoint[] = [];
  private systemArea = 0;
  /** Events processed since simulated time last advanced (livelock guard). */
  private sameTime = 0;
  private systemLast = 0;
  private readonly systemSeries: Float64Array;
  private systemAtBucketStart = 0;
  private finished = false;
  private stationQueues: number[][] = [];

  constructor(
    private readonly model: NormalizedModel,
    readonly replication: number
  ) {
    const issues = checkSimulable(model);
    if (issues.length > 0) throw new SimulationError(issues);
    const run = model.run;
    this.until = run.until;
    this.seed = run.seed;
    this.bucketWidth = run.bucket;
    this.buckets = Math.max(1, Math.ceil(run.until / run.bucket - 1e-9));
    this.systemSeries = new Float64Array(this.buckets);

    // Classes: every client's classes get global indices, in node order.
    const classNames: string[] = [];
    const classPriorities: number[] = [];
    const classServices: string[] = [];
    const classBase = new Map<number, number>();
    model.nodes.forEach((n, i) => {
      if (n.kind !== 'client') return;
      classBase.set(i, classNames.length);
      for (const c of n.params.classes) {
        classNames.push(c.name);
        classPriorities.push(c.priority);
        classServices.push(c.service);
      }
    });
    this.info = { classNames, classPriorities, classServices, classBase };

    model.nodes.forEach((n, i) => {
      const st = new NodeStats(this.buckets);
      const rng = substream(run.seed, replication, streamId(n.id));
      const make = BEHAVIOURS[n.kind]!;
      const b = make(n, i, st, rng, this, this.info);
      this.nodes.push(b);
      this.stats.push(st);
      if (b instanceof ClientBehaviour && n.kind === 'client' && n.params.interarrival) {
        b.setNominalRate(1 / distMean(n.params.interarrival));
      }
    });
    this.wire();
    this.pool.resetExtras = this.nodes.some((b) => b.writesRequestExtras());
    for (const f of model.faults) {
      const target = this.nodes.find((b) => b.id === f.target);
      if (target && f.action === 'pause') target.pausable = true;
    }

    // The engine's own events are all known now. They live in a sorted calendar beside the
    // heap rather than in it: 2,000 bucket ticks in the heap would make every pop and push of
    // the model's events sift through ~11 levels instead of a few. The calendar keeps exactly
    // the order the heap gave them: (time, priority, the order they are listed here).
    const cal: { t: number; prio: number; local: number; arg: number }[] = [];
    // Buckets close at each boundary inside the run; the last closes at finish.
    for (let b = 0; b + 1 < this.buckets; b++) cal.push({ t: (b + 1) * this.bucketWidth, prio: PRIO_ENGINE, local: TICK, arg: b });
    this.checkpointTimes = this.chooseCheckpoints();
    this.checkpointTimes.forEach((t, k) => cal.push({ t, prio: PRIO_ENGINE, local: CHECKPOINT, arg: k }));
    model.faults.forEach((f, k) => {
      if (f.at < this.until) cal.push({ t: f.at, prio: PRIO_FAULT, local: FAULT_START, arg: k });
      if (f.at + f.for < this.until) cal.push({ t: f.at + f.for, prio: PRIO_FAULT, local: FAULT_END, arg: k });
    });
    cal.push({ t: this.until, prio: PRIO_END, local: END, arg: 0 });
    cal.sort((a, b) => (a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.prio - b.prio)); // stable: ties keep list order
    this.calTimes = Float64Array.from(cal, (e) => e.t);
    this.calLocals = Int32Array.from(cal, (e) => e.local);
    this.calArgs = Int32Array.from(cal, (e) => e.arg);
    for (const b of this.nodes) b.start(0);
  }

  private wire(): void {
    const index = new Map(this.model.nodes.map((n, i) => [n.id, i]));
    // Output port names → indices, from the kind's declaration (cache: hit, miss; most: out).
    const outPorts = this.model.nodes.map((n) => kindDef(n.kind)?.ports.out ?? ['out']);
    for (const [i, b] of this.nodes.entries()) {
      b.outs = outPorts[i].map(() => []);
      b.outWeights = outPorts[i].map(() => []);
    }
    for (const e of this.model.edges) {
      const fi = index.get(e.from.node)!;
      const from = this.nodes[fi];
      const to = this.nodes[index.get(e.to.node)!];
      const port = Math.max(0, outPorts[fi].indexOf(e.from.port));
      from.outs[port].push(to);
      from.outWeights[port].push(e.weight);
      if (!to.upstream.includes(from)) to.upstream.push(from);
    }
    for (const b of this.nodes) b.out = b.outs.length > 0 && b.outs[0].length > 0 ? b.outs[0][0] : null;
    const neverPulls = Behaviour.prototype.pull;
    for (const b of this.nodes) b.pullSources = b.upstream.filter((u) => u.pull !== neverPulls);
    for (const b of this.nodes) b.prewire();
    for (const b of this.nodes) b.wired();
    // A server's station: the queues whose only output leads to it.
    this.stationQueues = this.nodes.map((b) =>
      b.kind === 'server' ? b.upstream.filter((u) => u.kind === 'queue' && u.out === b).map((u) => u.index) : []
    );
  }

  private chooseCheckpoints(): number[] {
    const w = this.model.run.warmup;
    const snap = (t: number) => Math.min(this.until, Math.ceil(t / this.bucketWidth - 1e-9) * this.bucketWidth);
    if (w === 'auto') {
      const times = AUTO_WARMUP_FRACTIONS.map((f) => snap(f * this.until)).filter((t) => t > 0 && t < this.until);
      return [...new Set(times)];
    }
    return w > 0 && w < this.until ? [w] : [];
  }

  /* ---------------- SimContext ---------------- */

  schedule(time: number, node: number, local: number, arg: number): void {
    this.heap.push(time, PRIO_NODE, (node << LOCAL_BITS) | local, arg);
  }

  complete(r: number, now: number): void {
    // Without the optional request fields (no cache, batcher or least-outstanding router in
    // the model) nothing else can be waiting for this request: straight to its client.
    if (this.pool.resetExtras) this.completeExtras(r, now);
    (this.nodes[this.pool.client[r]] as ClientBehaviour).completed(r, now);
  }

  private completeExtras(r: number, now: number): void {
    this.finishRouting(r, now);
    // Filled on the way back: a request that missed a cache brings its key back.
    const cn = this.pool.cacheNode[r];
    if (cn >= 0) (this.nodes[cn] as CacheBehaviour).fill(this.pool.cacheKey[r], now);
  }

  drop(node: Behaviour, r: number, reason: number, now: number): void {
    const st = node.stats;
    st.drops[reason]++;
    if (this.pool.resetExtras) this.finishRouting(r, now);
    const c = this.nodes[this.pool.client[r]] as ClientBehaviour;
    c.done(r, false, now, reason);
  }

  /** The request leaves the system: a least-outstanding router and watchers hear of it. */
  private finishRouting(r: number, now: number): void {
    const lb = this.pool.lbRouter[r];
    if (lb >= 0) (this.nodes[lb] as RouterBehaviour).finished(this.pool.lbEdge[r]);
    const w = this.pool.watcher[r];
    if (w >= 0) this.nodes[w].left(r, now);
  }

  /* ---------------- the loop ---------------- */

  get progress(): number {
    return this.finished ? 1 : Math.min(1, this.now / this.until);
  }

  get done(): boolean {
    return this.finished;
  }

  /**
   * Process up to `maxEvents` events. Returns true once the replication has reached `until`.
   * Engine bookkeeping events count as events too (they are a few per bucket).
   */
  advance(maxEvents: number): boolean {
    if (this.finished) return true;
    const heap = this.heap;
    const nodes = this.nodes;
    const pool = this.pool;
    // The model's events go first while earlier than `bound`: the next engine event's time, or
    // just after it for END (always last in the calendar), which waits for the model's events
    // at its time; at equal times the other engine events go first (see calendarBound).
    let bound = this.calendarBound();
    let n = 0;
    // The state carried from one event to the next lives in fields, updated as it goes: as
    // loop variables the optimiser kept the times boxed (two numbers allocated per event), and
    // stores after the loop, first run by optimised code, have no type feedback, so that the
    // first sliced run threw the optimised code away at the end of every slice.
    while (n < maxEvents) {
      const t = heap.peekTime(); // Infinity when empty: the calendar's END bounds the loop
      if (t < bound) {
        // One of the model's events.
        const last = this.systemLast;
        // A model can livelock at one instant (e.g. closed users with zero think time whose
        // requests fail at once): time never advances and the run would never end.
        if (t === last) {
          if (++this.sameTime > MAX_EVENTS_AT_ONE_INSTANT) this.livelock(t);
        } else this.sameTime = 0;
        this.systemArea += pool.live * (t - last);
        this.systemLast = t;
        this.now = t;
        this.events++;
        n++;
        const code = heap.topCode;
        const arg = heap.topArg;
        heap.removeTop();
        nodes[code >> LOCAL_BITS].handle(code & LOCAL_MASK, arg, t);
        continue;
      }
      // An engine event (a few per bucket), out of line. END is bookkeeping, not an event.
      if (this.engineStep()) return true;
      this.events++;
      n++;
      bound = this.calendarBound();
    }
    return false;
  }

  /**
   * The model's events strictly before this time go before the calendar's next event: its
   * time, or for END the next double above it, so that `t < bound` means `t <= until`.
   */
  private calendarBound(): number {
    const t = this.calTimes[this.calNext];
    return this.calLocals[this.calNext] === END ? nextUp(t) : t;
  }

  /** The next engine event: the bookkeeping every event gets, then its work. True at END. */
  private engineStep(): boolean {
    const cal = this.calNext;
    const t = this.calTimes[cal];
    if (t === this.systemLast) {
      if (++this.sameTime > MAX_EVENTS_AT_ONE_INSTANT) this.livelock(t);
    } else this.sameTime = 0;
    this.systemArea += this.pool.live * (t - this.systemLast);
    this.systemLast = t;
    this.now = t;
    const local = this.calLocals[cal];
    if (local === END) {
      this.finishRun();
      return true;
    }
    this.calNext = cal + 1; // an engine event may throw; the calendar must not replay it
    this.engineEvent(local, this.calArgs[cal], t);
    return false;
  }

  private livelock(t: number): never {
    throw new SimulationError([{ path: 'run', message: noProgress(t) }]);
  }

  private engineEvent(local: number, arg: number, now: number): void {
    switch (local) {
      case TICK:
        this.closeBucket(arg, now);
        return;
      case CHECKPOINT:
        for (const b of this.nodes) b.beforeSnapshot(now);
        for (const st of this.stats) st.advance(now);
        this.checkpoints[arg] = {
          time: now,
          nodes: this.stats.map((s) => s.snapshot()),
          systemArea: this.systemArea
        };
        return;
      case FAULT_START:
      case FAULT_END:
        this.applyFault(arg, local === FAULT_START, now);
        return;
    }
  }

  private closeBucket(b: number, now: number): void {
    // Time extras (with series) must be integrated up to the boundary, as at a checkpoint.
    for (const n of this.nodes) n.beforeSnapshot(now);
    for (const st of this.stats) st.closeBucket(b, now);
    this.systemSeries[b] = this.systemArea - this.systemAtBucketStart;
    this.systemAtBucketStart = this.systemArea;
    this.bucket = b + 1;
  }

  private applyFault(k: number, starting: boolean, now: number): void {
    const f = this.model.faults[k];
    const target = this.nodes.find((b) => b.id === f.target);
    if (!target) return;
    switch (f.action) {
      case 'rate':
        target.setRate(starting ? f.value : NaN, now);
        return;
      case 'slowdown':
        target.setSlowdown(starting ? f.value : 1, now);
        return;
      case 'pause':
        target.setPaused(starting, now, f.for);
        return;
      case 'latency':
        if (target instanceof LinkBehaviour) target.addLatency(starting ? f.value : 0);
        return;
      case 'flush':
        if (target instanceof CacheBehaviour) target.setFlushed(starting);
        return;
      case 'crash':
        if (target instanceof ReplicasBehaviour) target.crash(k, f.value, starting, now);
        return; // cores: refused by checkSimulable
    }
  }

  private finishRun(): void {
    if (this.finished) return;
    this.finished = true;
    for (const b of this.nodes) b.beforeSnapshot(this.until);
    this.closeBucket(this.buckets - 1, this.until);
  }

  /** A small live snapshot for the run view. */
  frame(): LiveFrame {
    const n = this.nodes.length;
    const a = new Float64Array(n * 4);
    // Read once per frame (≤ 20 per second), never per event: the hot path is untouched.
    const p99 = new Float64Array(n);
    const busy = new Float64Array(n);
    const timeouts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = this.stats[i];
      let drops = 0;
      for (let k = 0; k < s.drops.length; k++) drops += s.drops[k];
      a[i * 4] = s.present;
      a[i * 4 + 1] = s.arrivals;
      a[i * 4 + 2] = s.departures;
      a[i * 4 + 3] = drops;
      p99[i] = s.response.quantile(0.99);
      busy[i] = s.busyArea + (this.now > s.lastT ? s.busy * (this.now - s.lastT) : 0);
      const t = s.extraIndex('timeouts');
      timeouts[i] = t >= 0 ? s.extras[t] : 0;
    }
    return {
      replication: this.replication,
      now: this.now,
      until: this.until,
      events: this.events,
      nodeIds: this.nodes.map((b) => b.id),
      nodes: a,
      p99,
      busy,
      timeouts
    };
  }

  /**
   * The replication's measurements. `windows` holds them after each candidate warm-up (every
   * checkpoint, and none), so that `summarize` can delete the same warm-up from every
   * replication; `nodes`/`warmup`/`systemArea` are the window this replication's own MSER-5
   * suggests (or the fixed warm-up). Call once `advance` returned true.
   */
  finish(): ReplicationResult {
    if (!this.finished) this.advance(Infinity);
    const series = this.stats.map((st) => ({
      inSystem: st.seriesArea.map((a, k) => a / this.bucketSpan(k)),
      throughput: st.seriesDepartures.map((d, k) => d / this.bucketSpan(k)),
      drops: st.seriesDrops.slice(),
      p99: st.seriesP99 ? st.seriesP99.slice() : null,
      extras: Object.fromEntries(
        Object.entries(st.extraSeriesData()).map(([name, x]) => [name, x.values.map((v, k) => v / this.bucketSpan(k))])
      )
    }));
    const cps: (Checkpoint | null)[] = [null, ...this.checkpoints.filter((c) => c !== undefined)];
    const windows = cps.map((cp) => this.windowAfter(cp, series));
    const own = this.chooseWarmup();
    const mine = windows[own === null ? 0 : cps.indexOf(own)];
    return {
      replication: this.replication,
      seed: this.seed,
      until: this.until,
      warmup: mine.warmup,
      events: this.events,
      bucket: this.bucketWidth,
      classNames: this.info.classNames,
      systemArea: mine.systemArea,
      nodes: mine.nodes,
      windows,
      systemSeries: this.systemSeries.map((a, k) => a / this.bucketSpan(k)),
      autoWarmup: this.model.run.warmup === 'auto'
    };
  }

  /** Everything measured over [checkpoint, until] (the whole run for null). */
  private windowAfter(cp: Checkpoint | null, series: NodeResult['series'][]): MeasuredWindow {
    const nodes: NodeResult[] = this.nodes.map((b, i) => {
      const st = this.stats[i];
      const base = cp ? cp.nodes[i] : null;
      const hist = (h: LogHistogram, s: LogHistogram | null | undefined) => {
        if (!s) return h.toJSON();
        const c = h.clone();
        c.subtract(s);
        return c.toJSON();
      };
      const area = st.area - (base ? base.area : 0);
      let stationArea = area;
      for (const q of this.stationQueues[i]) {
        stationArea += this.stats[q].area - (cp ? cp.nodes[q].area : 0);
      }
      return {
        id: b.id,
        kind: b.kind,
        servers: b.servers(),
        arrivals: st.arrivals - (base ? base.arrivals : 0),
        departures: st.departures - (base ? base.departures : 0),
        drops: Array.from(st.drops, (d, k) => d - (base ? base.drops[k] : 0)),
        present: st.present,
        area,
        busyArea: st.busyArea - (base ? base.busyArea : 0),
        occupancy: st.occupancy.map((v, k) => v - (base ? base.occupancy[k] : 0)),
        response: hist(st.response, base?.response),
        wait: hist(st.wait, base?.wait),
        station: st.station ? { area: stationArea, response: hist(st.station, base?.station) } : null,
        byClass: st.byClass ? st.byClass.map((h, k) => hist(h, base?.byClass?.[k])) : null,
        extras: st.extrasOver(base),
        series: series[i]
      };
    });
    return {
      warmup: cp ? cp.time : 0,
      systemArea: this.systemArea - (cp ? cp.systemArea : 0),
      nodes
    };
  }

  private bucketSpan(k: number): number {
    const start = k * this.bucketWidth;
    return Math.max(1e-300, Math.min(this.bucketWidth, this.until - start));
  }

  /**
   * Auto warm-up: MSER-5 on the time-average number of requests in the system per bucket, cut
   * rounded up to the next checkpoint (the cut can only fall where a snapshot was taken).
   */
  private chooseWarmup(): Checkpoint | null {
    if (this.checkpoints.length === 0) return null;
    if (this.model.run.warmup !== 'auto') return this.checkpoints[0] ?? null;
    const series = Array.from(this.systemSeries, (a, k) => a / this.bucketSpan(k));
    const cut = mser5(series) * this.bucketWidth;
    if (cut <= 0) return null;
    for (const c of this.checkpoints) if (c && c.time >= cut - 1e-9) return c;
    return this.checkpoints[this.checkpoints.length - 1];
  }
}
