/**
 * `batcher`: groups requests into batches and pays a per-flush overhead (MODEL.md §3, PAPERS.md
 * §2). Think of the sending side of a socket: each flush is a write that costs `fixed` plus
 * `perItem` per request (syscall, protocol and NIC work), done by one of `flushers` flushers.
 *
 * Requests wait in one FIFO. A batch is formed when a flusher starts it (so a batch that
 * waits for a busy flusher keeps growing, as a sender takes what is ready), by the policy in
 * force:
 *  - `size`: a full batch of `maxBatch`; a partial batch never leaves (delete the tail, or use
 *    size-or-timeout).
 *  - `timeout`: everything pending, once the oldest has waited `maxWait` (no size cap).
 *  - `size-or-timeout`: `maxBatch` as soon as that many wait, else everything pending once the
 *    oldest has waited `maxWait`.
 *  - `nagle`: flush everything pending (up to `maxBatch`) when nothing is in flight, otherwise
 *    only full batches. "In flight" = requests this batcher has flushed that have not yet
 *    left the system (completed at a sink, or dropped anywhere): the acknowledgement TCP's
 *    Nagle waits for, which in request/response traffic rides on the response.
 *  - `adaptive`: toggles between flushing at once (one request per flush) and
 *    `adaptiveBatching` (nagle or size-or-timeout) by the end-to-end estimate below.
 * A finished flush hands its requests downstream in order, all at the same instant; put a
 * queue after the batcher if what follows cannot take a whole batch.
 *
 * End-to-end estimate (MODEL.md, adaptive batching; every policy keeps it): counters A (entered
 * this batcher), D (left the system after entering it) and S = ∫(A − D) dt. At the end of each
 * `window`, W = ΔS/ΔD is Little's law over the window: the mean time from entering the batcher
 * to leaving the system. Only these window-end values are used, as if the peer's counters came
 * piggybacked on protocol metadata. D counts drops too, so that A − D is what is really in the
 * system.
 *
 * Adaptive: each window runs the mode believed better, except probe windows (the first, then
 * every 1/`probe`-th), which run the other. After each window it keeps that mode's W and
 * throughput X = ΔD/window, and switches when the other mode's last W is lower at a throughput
 * at least 95% of the current one's. A probe is cut short, and counts as lost, when it lets the
 * local backlog (requests waiting to be flushed) grow by 2 × maxBatch over what it was when the
 * probe began: an overloaded mode would otherwise pile up work for the whole window (the sender
 * sees its own buffer without waiting for the peer). A probe that loses clearly (W more than
 * 10% above the better mode's, or cut) doubles the gap to the next probe, up to 8×; a probe
 * that wins or comes close resets it. So `probe` is the probing rate while the race is close.
 *
 * Statistics: wait = time until the request's flush began; response = time in the batcher
 * (until its flush ended); utilisation = flushers busy. Extras: `flushes` (count), `estimateW`
 * (time average of the estimate the batcher shows, the last window's W; 0 before the first
 * window ends, so delete at least one window of warm-up); adaptive also `batchingShare` (time
 * fraction in the batching mode), `switches`, `probes`, `probesCut` (counts).
 */
import type { BatcherParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { Behaviour } from './behaviour';
import { IntDeque } from './intDeque';

const FLUSH_DONE = 0;
const TIMER = 1;
const WINDOW = 2;

/* Flush rules (what `tryFlush` applies). */
const AT_ONCE = 0;
const SIZE = 1;
const TIMEOUT = 2;
const SIZE_OR_TIMEOUT = 3;
const NAGLE = 4;

/* Adaptive modes. */
const MODE_AT_ONCE = 0;
const MODE_BATCH = 1;

/** Throughput the other mode must keep (relative) for its lower W to win. */
const SAME_THROUGHPUT = 0.95;
/** A probe whose W exceeds the better mode's by this factor lost clearly (probe less often). */
const LOSS_MARGIN = 1.1;
/** Probes back off to at most 2^MAX_BACKOFF times the base gap. */
const MAX_BACKOFF = 3;

const RULES: Record<Exclude<BatcherParams['policy'], 'adaptive'>, number> = {
  size: SIZE,
  timeout: TIMEOUT,
  'size-or-timeout': SIZE_OR_TIMEOUT,
  nagle: NAGLE
};

export class BatcherBehaviour extends Behaviour {
  private rule = SIZE_OR_TIMEOUT;
  private maxBatch = 16;
  private maxWait = 0.001;
  private fixed!: Sampler;
  private perItem!: Sampler;
  private perItemZero = true;
  private window = 1;
  private probe = 0.1;
  private adaptive = false;
  private batchRule = NAGLE;

  /* Requests waiting to be flushed, oldest first. */
  private readonly pending = new IntDeque();
  /* Per flusher: the requests of its batch (in order) and whether it is busy. */
  private flushing: IntDeque[] = [];
  private busy = new Uint8Array(1);
  private free = 1;
  /** Flushed by this batcher and not yet out of the system (nagle's "in flight"). */
  private inFlight = 0;
  /** Time of the live timer event, NaN when none (older timer events are stale). */
  private timerAt = NaN;
  /** Per request index: the watcher this batcher displaced (pool.watcher chain). */
  private prevWatcher = new Int32Array(64).fill(-1);

  /* End-to-end counters. */
  private e2eN = 0; // A − D
  private S = 0;
  private D = 0;
  private lastST = 0;
  private winS = 0;
  private winD = 0;
  private estimate = 0;

  /* Adaptive state. */
  private best = MODE_AT_ONCE;
  private mode = MODE_AT_ONCE;
  private probing = false;
  private probeBacklog = 0;
  /** Index of the window now running. */
  private windowIndex = 0;
  /** Whether window `windowIndex` began as a probe (even if cut), and of which mode. */
  private probeWindow = false;
  private probedMode = MODE_BATCH;
  /** The next probe window, and how many clear losses in a row have widened the gap (×2 each). */
  private nextProbe = 0;
  private backoff = 0;
  /** A window whose mode changed inside it (a cut probe) measures a mix: not used. */
  private windowMixed = false;
  private readonly W = new Float64Array([NaN, NaN]);
  private readonly X = new Float64Array([NaN, NaN]);

  /* Extras and their level integration. */
  private xFlushes = -1;
  private xEstimate = -1;
  private xShare = -1;
  private xSwitches = -1;
  private xProbes = -1;
  private xCut = -1;
  private levelT = 0;

  configure(p: BatcherParams): void {
    this.adaptive = p.policy === 'adaptive';
    this.batchRule = p.adaptiveBatching === 'size-or-timeout' ? SIZE_OR_TIMEOUT : NAGLE;
    this.rule = p.policy === 'adaptive' ? AT_ONCE : RULES[p.policy];
    this.maxBatch = p.maxBatch;
    this.maxWait = p.maxWait;
    this.fixed = makeSampler(p.flushCost.fixed);
    this.perItem = makeSampler(p.flushCost.perItem);
    const pi = p.flushCost.perItem;
    this.perItemZero = pi.dist === 'det' && pi.value === 0;
    this.window = p.window;
    this.probe = p.probe;
    const n = p.flushers;
    this.flushing = Array.from({ length: n }, () => new IntDeque(16));
    this.busy = new Uint8Array(n);
    this.free = n;
    const st = this.stats;
    this.xFlushes = st.defineExtra('flushes', 'count', true);
    this.xEstimate = st.defineExtra('estimateW', 'time', true);
    if (this.adaptive) {
      this.xShare = st.defineExtra('batchingShare', 'time', true);
      this.xSwitches = st.defineExtra('switches', 'count');
      this.xProbes = st.defineExtra('probes', 'count');
      this.xCut = st.defineExtra('probesCut', 'count');
    }
  }

  override servers(): number {
    return this.flushing.length;
  }

  override start(now: number): void {
    this.sim.schedule(now + this.window, this.index, WINDOW, 0);
    if (this.adaptive) this.beginWindow(0, now);
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    st.advance(now);
    st.present++;
    pool.stationEnter[r] = NaN; // a batcher interrupts any station
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    this.watch(r, now);
    this.pending.pushBack(r);
    if (this.probing && this.pending.length >= this.probeBacklog + 2 * this.maxBatch) this.cutProbe(now);
    this.tryFlush(now);
  }

  /** Count r in the end-to-end counters and ask to hear when it leaves the system. */
  private watch(r: number, now: number): void {
    const pool = this.pool;
    if (r >= this.prevWatcher.length) {
      const grown = new Int32Array(Math.max(pool.capacity, 2 * r)).fill(-1);
      grown.set(this.prevWatcher);
      this.prevWatcher = grown;
    }
    if (this.watches(r)) {
      this.inFlight--; // back again through a loop: still counted once, but no longer in flight
      return;
    }
    this.prevWatcher[r] = pool.watcher[r];
    pool.watcher[r] = this.index;
    this.integrate(now);
    this.e2eN++;
  }

  override left(r: number, now: number): void {
    this.integrate(now);
    this.e2eN--;
    this.D++;
    this.inFlight--;
    const prev = this.prevWatcher[r];
    if (prev >= 0) this.sim.nodes[prev].left(r, now);
    if (this.inFlight === 0 && this.pending.length > 0 && this.rule === NAGLE) this.tryFlush(now);
  }

  private integrate(now: number): void {
    this.S += this.e2eN * (now - this.lastST);
    this.lastST = now;
  }

  /** Bring the level-type extras (estimate shown, mode) up to `now`. */
  private levels(now: number): void {
    const dt = now - this.levelT;
    if (dt > 0) {
      const x = this.stats.extras;
      x[this.xEstimate] += this.estimate * dt;
      if (this.adaptive && this.mode === MODE_BATCH) x[this.xShare] += dt;
      this.levelT = now;
    }
  }

  override beforeSnapshot(now: number): void {
    this.levels(now);
  }

  /* ---------------- flushing ---------------- */

  /** Start every flush the rule in force allows now. */
  private tryFlush(now: number): void {
    const q = this.pending;
    while (this.free > 0 && q.length > 0) {
      const n = q.length;
      let k = 0;
      switch (this.rule) {
        case AT_ONCE:
          k = 1;
          break;
        case SIZE:
          k = n >= this.maxBatch ? this.maxBatch : 0;
          break;
        case TIMEOUT:
          k = this.due(now) ? n : 0;
          break;
        case SIZE_OR_TIMEOUT:
          k = n >= this.maxBatch ? this.maxBatch : this.due(now) ? n : 0;
          break;
        case NAGLE:
          k = n >= this.maxBatch ? this.maxBatch : this.inFlight === 0 ? n : 0;
          break;
      }
      if (k === 0) break;
      this.startFlush(k, now);
    }
    if ((this.rule === TIMEOUT || this.rule === SIZE_OR_TIMEOUT) && q.length > 0) {
      const at = this.pool.enteredAt[q.front()] + this.maxWait;
      if (at > now && at !== this.timerAt) {
        this.timerAt = at;
        this.sim.schedule(at, this.index, TIMER, 0);
      }
    }
  }

  /** Has the oldest pending request waited maxWait? */
  private due(now: number): boolean {
    return now >= this.pool.enteredAt[this.pending.front()] + this.maxWait;
  }

  private startFlush(k: number, now: number): void {
    let f = 0;
    while (this.busy[f] === 1) f++;
    this.busy[f] = 1;
    this.free--;
    const st = this.stats;
    st.advance(now);
    st.busy++;
    st.extras[this.xFlushes]++;
    const pool = this.pool;
    const batch = this.flushing[f];
    let cost = this.fixed(this.rng);
    for (let i = 0; i < k; i++) {
      const r = this.pending.popFront();
      const w = now - pool.enteredAt[r];
      st.wait.record(w);
      pool.waited[r] += w;
      batch.pushBack(r);
      if (!this.perItemZero) cost += this.perItem(this.rng);
    }
    this.inFlight += k;
    this.sim.schedule(now + cost, this.index, FLUSH_DONE, f);
  }

  private flushDone(f: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    const batch = this.flushing[f];
    st.advance(now);
    // The flusher stays marked busy while its batch is handed on: a completion downstream may
    // call back (left → tryFlush) and must not reuse this flusher's list mid-loop.
    while (batch.length > 0) {
      const r = batch.popFront();
      st.present--;
      st.departures++;
      st.response.record(now - pool.enteredAt[r]);
      const o = this.out;
      if (o !== null) o.arrive(r, now);
      else this.sim.complete(r, now);
    }
    st.advance(now);
    st.busy--;
    this.busy[f] = 0;
    this.free++;
    this.tryFlush(now);
  }

  override handle(local: number, arg: number, now: number): void {
    switch (local) {
      case FLUSH_DONE:
        this.flushDone(arg, now);
        return;
      case TIMER:
        if (now !== this.timerAt) return; // superseded
        this.timerAt = NaN;
        this.tryFlush(now);
        return;
      case WINDOW:
        this.endWindow(arg, now);
        return;
    }
  }

  /* ---------------- windows: the estimate and the adaptive policy ---------------- */

  private endWindow(j: number, now: number): void {
    this.integrate(now);
    const dD = this.D - this.winD;
    const dS = this.S - this.winS;
    this.winD = this.D;
    this.winS = this.S;
    if (dD > 0) {
      this.levels(now);
      this.estimate = dS / dD;
      if (this.adaptive && !this.windowMixed) {
        this.W[this.mode] = this.estimate;
        this.X[this.mode] = dD / this.window;
      }
    }
    this.sim.schedule(now + this.window, this.index, WINDOW, j + 1);
    if (!this.adaptive) return;
    this.decide();
    if (this.probeWindow) this.scheduleProbe(j);
    this.beginWindow(j + 1, now);
  }

  /**
   * After probe window j: the next probe comes 1/probe windows later, or twice, 4×, 8× that
   * after probes that lost clearly in a row (the other mode's W over LOSS_MARGIN × the better
   * one's, or cut short); a probe that won or came close resets the gap.
   */
  private scheduleProbe(j: number): void {
    const probed = this.probedMode;
    const lost = this.best !== probed && !(this.W[probed] <= LOSS_MARGIN * this.W[this.best]);
    this.backoff = lost ? Math.min(this.backoff + 1, MAX_BACKOFF) : 0;
    this.nextProbe = j + Math.max(1, Math.ceil((1 << this.backoff) / this.probe - 1e-9));
  }

  /** Switch the believed-better mode when the other's last W is lower at the same throughput. */
  private decide(): void {
    const b = this.best;
    const o = 1 - b;
    const W = this.W;
    const X = this.X;
    if (Number.isNaN(W[b]) || Number.isNaN(W[o])) return;
    if (W[o] < W[b] && X[o] >= SAME_THROUGHPUT * X[b]) {
      this.best = o;
      this.stats.extras[this.xSwitches]++;
    }
  }

  /** Window j runs the better mode, or the other when it is a probe window. */
  private beginWindow(j: number, now: number): void {
    const probe = this.probe > 0 && j >= this.nextProbe;
    this.probing = probe;
    this.probeWindow = probe;
    this.probedMode = 1 - this.best;
    this.windowMixed = false;
    this.windowIndex = j;
    if (probe) {
      this.stats.extras[this.xProbes]++;
      this.probeBacklog = this.pending.length;
    }
    this.setMode(probe ? 1 - this.best : this.best, now);
  }

  /** A probe let the backlog run away: it lost; back to the better mode for the rest of the window. */
  private cutProbe(now: number): void {
    this.probing = false;
    this.windowMixed = true;
    this.W[this.mode] = Infinity;
    this.X[this.mode] = 0;
    this.stats.extras[this.xCut]++;
    this.setMode(this.best, now);
  }

  private setMode(m: number, now: number): void {
    if (m === this.mode) return;
    this.levels(now);
    this.mode = m;
    this.rule = m === MODE_AT_ONCE ? AT_ONCE : this.batchRule;
    this.tryFlush(now);
  }

  /**
   * For views and tests: the mode in force (0: flush at once, 1: batching), the mode believed
   * better, the last estimate W (s), the window running, requests in flight and waiting.
   */
  get state(): { mode: number; best: number; estimate: number; window: number; inFlight: number; pending: number } {
    return {
      mode: this.mode,
      best: this.best,
      estimate: this.estimate,
      window: this.windowIndex,
      inFlight: this.inFlight,
      pending: this.pending.length
    };
  }

  /** Is request r in this batcher's watch chain (counted until it leaves the system)? */
  watches(r: number): boolean {
    for (let w = this.pool.watcher[r]; w >= 0; ) {
      if (w === this.index) return true;
      const b = this.sim.nodes[w];
      w = b instanceof BatcherBehaviour ? b.prevWatcher[r] : -1;
    }
    return false;
  }
}
