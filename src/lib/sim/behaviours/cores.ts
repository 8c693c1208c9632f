/**
 * `cores`: a host with N CPU cores running processes (MODEL.md §3, PAPERS.md §1), and the CPU
 * side of the NIC modes (interrupts and stack work, busy polling, coherent dispatch).
 *
 * Every core is always in exactly one CPU category, and the engine integrates each over time:
 *   handler    running a process's handler for a request;
 *   interrupt  the interrupt entry cost (kernel NIC);
 *   stack      per-request delivery work: network stack (kernel), poll-and-dispatch (bypass),
 *              the coherent hand-off (coherent);
 *   polling    a core dedicated to waiting: bypass cores spinning on their rings, coherent cores
 *              stalled on a receive cache line;
 *   switching  context switches, dispatch from the global run queue, work stealing;
 *   idle       nothing to do.
 * A core runs one "segment" at a time (a handler slice, an interrupt, a stack step, a switch),
 * ended by one event; kernel work preempts a handler slice (its remaining time is banked).
 *
 * Modes, chosen by the NIC that feeds the node (none = requests arrive straight at processes):
 *  - OS scheduling (no NIC, or `kernel`): a request wakes an idle thread of its process (after
 *    `wakeup`) or waits in the process's backlog; runnable threads wait in a run queue, one per
 *    core (`per-core`: placed by `placement`, optional `workStealing`) or shared (`global`,
 *    `dispatchCost` per dispatch). `contextSwitch` is paid when a core runs a thread other than
 *    the one it ran last; `quantum` preempts a thread when others wait (round robin). A thread
 *    that finishes a request takes the next from its backlog without blocking.
 *  - `kernel` NIC: RSS spreads packets over `rxQueues` rings, ring i bound to core i mod N;
 *    an interrupt (per packet, or coalesced by {packets, delay}) makes that core pay
 *    `interruptCost`, then `stackCost` per packet for every packet in the ring (NAPI-style:
 *    packets arriving meanwhile are taken in the same pass), each then delivered to its process.
 *  - `bypass` NIC: each process has a ring polled by its pinned cores, which run handlers to
 *    completion after `pollCost`; a pinned core spins (polling) when its rings are empty and
 *    never helps another process.
 *  - `coherent` NIC (NIC as part of the OS): the dispatch policy of MODEL.md step for step —
 *    per-process NIC queues of `processQueue` entries; a core waiting for process P stalls
 *    until the NIC hands it a request (after `coherenceLatency`) or `tryAgain` expires; on an
 *    arrival for P with fewer than maxThreads cores: at ≥ `preemptAt` full, take a core blocked
 *    in receive for another process or an idle one; else, if P has no core, take an idle one; a
 *    core whose process queue is empty moves to a process with work and no core; ties go to the
 *    lowest-numbered core.
 *
 * Node statistics: response = time from arriving at the host (the ring, for a NIC) to the end
 * of the handler; wait = until the handler first ran. Ring and process-queue overflow drops are
 * counted here (reason "full").
 */
import type { CoresParams, NicParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { DROP_FULL } from '../nodeStats';
import { Behaviour } from './behaviour';
import { IntDeque } from './intDeque';

/* Local events. */
const SEG_END = 0;
const WAKE = 1;
const TRY_AGAIN = 2;
const COALESCE = 3;

/* Segment kinds. */
const NONE = 0;
const HANDLER = 1;
const SWITCH = 2;
const INTERRUPT = 3;
const STACK = 4;
const BYPASS_DELIVER = 5;
const COHERENT_DELIVER = 6;
const DIRECT_HANDLER = 7; // bypass and coherent: a request on a core, no thread

/* CPU categories (index into the per-category extras). */
export const CPU_CATEGORIES = ['handler', 'interrupt', 'stack', 'polling', 'switching', 'idle'] as const;
const C_HANDLER = 0;
const C_INTERRUPT = 1;
const C_STACK = 2;
const C_POLLING = 3;
const C_SWITCHING = 4;
const C_IDLE = 5;
const SEG_CATEGORY = [C_IDLE, C_HANDLER, C_SWITCHING, C_INTERRUPT, C_STACK, C_STACK, C_STACK, C_HANDLER];

/* Thread states (OS scheduling). */
const T_IDLE = 0;
const T_WAKING = 1;
const T_RUNNABLE = 2;
const T_RUNNING = 3;

/* Coherent core states. */
const K_IDLE = 0;
const K_WAITING = 1;
const K_BUSY = 2;

type Mode = 'os' | 'kernel' | 'bypass' | 'coherent';

/** Core index and a generation in one int32 event argument (cores < 1024). */
const CORE_BITS = 10;
const CORE_MASK = (1 << CORE_BITS) - 1;

export class CoresBehaviour extends Behaviour {
  private n = 1;
  private mode: Mode = 'os';
  private p!: CoresParams;
  private nic: NicParams | null = null;
  private handlers: Sampler[] = [];
  private contextSwitch!: Sampler;
  private wakeup!: Sampler;
  private dispatchCost!: Sampler;
  private stealCost!: Sampler;
  private interruptCost: Sampler | null = null;
  private stackCost: Sampler | null = null;
  private pollCost: Sampler | null = null;
  private coherence: Sampler | null = null;
  private quantum = Infinity;
  private slowdown = 1;
  private paused = false;
  /** Global class index → process index. */
  private procOfClass = new Int32Array(0);

  /* Per core. */
  private seg = new Uint8Array(0);
  private segStart = new Float64Array(0);
  private segEnd = new Float64Array(0);
  private gen = new Int32Array(0);
  private category = new Uint8Array(0);
  private categorySince = new Float64Array(0);
  private coreThread = new Int32Array(0);
  private lastThread = new Int32Array(0);
  private quantumLeft = new Float64Array(0);
  /** The request a core holds (kernel stack step, bypass, coherent). */
  private coreReq = new Int32Array(0);
  private runQueues: IntDeque[] = [];
  private globalQueue = new IntDeque();
  private runnable = 0;
  private runnableSince = 0;

  /* Per thread (OS scheduling). */
  private threadProc = new Int32Array(0);
  private threadReq = new Int32Array(0);
  private threadRemaining = new Float64Array(0);
  private threadState = new Uint8Array(0);
  private threadStarted = new Uint8Array(0);
  private idleThreads: IntDeque[] = [];
  private backlog: IntDeque[] = [];
  private rr = 0;

  /* Kernel NIC rings. */
  private rings: IntDeque[] = [];
  private ringRaised = new Uint8Array(0);
  private ringPending = new Int32Array(0);
  private ringTimer = new Int32Array(0);
  private kernelJobs: IntDeque[] = [];
  /** Ring being processed by each core (−1: none); phase 1 = interrupt entry, 2 = stack. */
  private kjRing = new Int32Array(0);

  /* Bypass. */
  private pollSet: Int32Array[] = [];
  private pollCursor = new Int32Array(0);
  private pinnedCores: Int32Array[] = [];
  private procQueues: IntDeque[] = [];

  /* Coherent. */
  private kState = new Uint8Array(0);
  private kProc = new Int32Array(0);
  private coresOf = new Int32Array(0);
  private maxCores = new Int32Array(0);

  /* Extras (indices into stats.extras). */
  private xCategory: number[] = [];
  private xCoreCategory: number[] = [];
  private xRunQueue = 0;
  private xSwitches = 0;
  private xPreemptions = 0;
  private xSteals = 0;
  private xInterrupts = 0;
  private xMoves = 0;

  configure(p: CoresParams, classServices: string[]): void {
    this.p = p;
    this.n = p.count;
    this.handlers = p.processes.map((proc) => makeSampler(proc.handler));
    this.contextSwitch = makeSampler(p.contextSwitch);
    this.wakeup = makeSampler(p.wakeup);
    this.dispatchCost = makeSampler(p.dispatchCost);
    this.stealCost = makeSampler(p.stealCost);
    this.quantum = p.quantum ?? Infinity;
    const names = p.processes.map((proc) => proc.name);
    this.procOfClass = Int32Array.from(classServices, (s) => Math.max(0, names.indexOf(s)));
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  /** Called by a NIC wired into this node, before `wired()`. */
  attachNic(params: NicParams): void {
    this.nic = params;
    this.mode = params.mode;
  }

  override servers(): number {
    return this.n;
  }

  override wired(): void {
    const n = this.n;
    const P = this.p.processes.length;
    const st = this.stats;
    this.xCategory = CPU_CATEGORIES.map((c) => st.defineExtra(`cpu.${c}`, 'time'));
    this.xCoreCategory = [];
    for (let k = 0; k < n; k++) {
      for (const c of CPU_CATEGORIES) this.xCoreCategory.push(st.defineExtra(`core${k}.${c}`, 'time'));
    }
    this.xRunQueue = st.defineExtra('runQueue', 'time');
    this.xSwitches = st.defineExtra('contextSwitches', 'count');
    this.xPreemptions = st.defineExtra('preemptions', 'count');
    this.xSteals = st.defineExtra('steals', 'count');
    this.xInterrupts = st.defineExtra('interrupts', 'count');
    this.xMoves = st.defineExtra('coreMoves', 'count');

    this.seg = new Uint8Array(n);
    this.segStart = new Float64Array(n);
    this.segEnd = new Float64Array(n);
    this.gen = new Int32Array(n);
    this.category = new Uint8Array(n).fill(C_IDLE);
    this.categorySince = new Float64Array(n);
    this.coreThread = new Int32Array(n).fill(-1);
    this.lastThread = new Int32Array(n).fill(-1);
    this.quantumLeft = new Float64Array(n).fill(this.quantum);
    this.coreReq = new Int32Array(n).fill(-1);
    this.runQueues = Array.from({ length: n }, () => new IntDeque());
    this.kjRing = new Int32Array(n).fill(-1);
    this.kernelJobs = Array.from({ length: n }, () => new IntDeque());

    // Threads: process p owns threads [first_p, first_p + threads_p).
    const total = this.p.processes.reduce((a, proc) => a + proc.threads, 0);
    this.threadProc = new Int32Array(total);
    this.threadReq = new Int32Array(total).fill(-1);
    this.threadRemaining = new Float64Array(total);
    this.threadState = new Uint8Array(total);
    this.threadStarted = new Uint8Array(total);
    this.idleThreads = [];
    this.backlog = [];
    let t = 0;
    this.p.processes.forEach((proc, i) => {
      const idle = new IntDeque();
      for (let j = 0; j < proc.threads; j++) {
        this.threadProc[t] = i;
        idle.pushBack(t++);
      }
      this.idleThreads.push(idle);
      this.backlog.push(new IntDeque());
    });

    const nic = this.nic;
    if (nic) {
      this.stackCost = makeSampler(nic.stackCost);
      this.interruptCost = makeSampler(nic.interruptCost);
      this.pollCost = makeSampler(nic.pollCost);
      this.coherence = makeSampler(nic.coherenceLatency);
      const R = nic.rxQueues;
      this.rings = Array.from({ length: R }, () => new IntDeque());
      this.ringRaised = new Uint8Array(R);
      this.ringPending = new Int32Array(R);
      this.ringTimer = new Int32Array(R);
      this.procQueues = Array.from({ length: P }, () => new IntDeque());
    }
    if (this.mode === 'bypass') this.pinCores(nic!);
    if (this.mode === 'coherent') {
      this.kState = new Uint8Array(n);
      this.kProc = new Int32Array(n).fill(-1);
      this.coresOf = new Int32Array(P);
      this.maxCores = Int32Array.from(this.p.processes, (proc) =>
        Math.min(proc.threads, Number.isFinite(nic!.maxThreads) ? nic!.maxThreads : n)
      );
    }
  }

  /** bypass: which cores poll which process (explicit `pinned`, else spread round-robin). */
  private pinCores(nic: NicParams): void {
    const n = this.n;
    const names = this.p.processes.map((proc) => proc.name);
    const P = names.length;
    const sets: number[][] = Array.from({ length: n }, () => []);
    const cores: number[][] = Array.from({ length: P }, () => []);
    if (nic.pinned) {
      for (const [name, list] of Object.entries(nic.pinned)) {
        const pi = names.indexOf(name);
        for (const k of list) {
          sets[k].push(pi);
          cores[pi].push(k);
        }
      }
    } else if (P <= n) {
      for (let k = 0; k < n; k++) {
        sets[k].push(k % P);
        cores[k % P].push(k);
      }
    } else {
      for (let pi = 0; pi < P; pi++) {
        sets[pi % n].push(pi);
        cores[pi].push(pi % n);
      }
    }
    this.pollSet = sets.map((s) => Int32Array.from(s));
    this.pinnedCores = cores.map((c) => Int32Array.from(c));
    this.pollCursor = new Int32Array(n);
    for (let k = 0; k < n; k++) if (sets[k].length > 0) this.category[k] = C_POLLING;
    this.stats.busy = sets.filter((s) => s.length > 0).length;
  }

  /* ------------------------------------------------------------------------------------ */
  /* Accounting.                                                                          */
  /* ------------------------------------------------------------------------------------ */

  private setCategory(k: number, c: number, now: number): void {
    const old = this.category[k];
    const dt = now - this.categorySince[k];
    const x = this.stats.extras;
    x[this.xCategory[old]] += dt;
    x[this.xCoreCategory[k * 6 + old]] += dt;
    this.categorySince[k] = now;
    if (old === c) return;
    this.category[k] = c;
    if ((old === C_IDLE) !== (c === C_IDLE)) {
      this.stats.advance(now);
      this.stats.busy += c === C_IDLE ? -1 : 1;
    }
  }

  /** Bring the per-core category integrals up to `now` (before a snapshot or the end). */
  private flushCategories(now: number): void {
    for (let k = 0; k < this.n; k++) this.setCategory(k, this.category[k], now);
    this.changeRunnable(0, now);
  }

  override beforeSnapshot(now: number): void {
    this.flushCategories(now);
  }

  private changeRunnable(delta: number, now: number): void {
    this.stats.extras[this.xRunQueue] += this.runnable * (now - this.runnableSince);
    this.runnableSince = now;
    this.runnable += delta;
  }

  private startSegment(k: number, kind: number, length: number, now: number): void {
    this.seg[k] = kind;
    this.segStart[k] = now;
    const end = now + (length > 0 ? length : 0);
    this.segEnd[k] = end;
    const g = (this.gen[k] + 1) & 0x1fffff;
    this.gen[k] = g;
    this.setCategory(k, SEG_CATEGORY[kind], now);
    this.sim.schedule(end, this.index, SEG_END, (g << CORE_BITS) | k);
  }

  private coreFree(k: number): boolean {
    return this.seg[k] === NONE;
  }

  /* ------------------------------------------------------------------------------------ */
  /* Arrivals.                                                                            */
  /* ------------------------------------------------------------------------------------ */

  /** A request straight from upstream, or from the NIC's wire side. */
  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    pool.stationEnter[r] = NaN;
    switch (this.mode) {
      case 'os':
        this.admit(r, now);
        this.deliver(r, now);
        return;
      case 'kernel':
        this.kernelArrive(r, now);
        return;
      case 'bypass':
        this.bypassArrive(r, now);
        return;
      case 'coherent':
        this.coherentArrive(r, now);
        return;
    }
  }

  private admit(_r: number, now: number): void {
    this.stats.advance(now);
    this.stats.present++;
  }

  private overflow(r: number, now: number): void {
    this.sim.drop(this, r, DROP_FULL, now);
  }

  private processOf(r: number): number {
    return this.procOfClass[this.pool.gcls[r]];
  }

  private handlerTime(proc: number): number {
    return this.handlers[proc](this.rng) * this.slowdown;
  }

  private depart(r: number, now: number): void {
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    st.response.record(now - this.pool.enteredAt[r]);
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }

  private recordWait(r: number, now: number): void {
    this.stats.wait.record(now - this.pool.enteredAt[r]);
  }

  /* ------------------------------------------------------------------------------------ */
  /* OS scheduling: threads and run queues.                                               */
  /* ------------------------------------------------------------------------------------ */

  /** Hand a request to its process: wake an idle thread, or wait in the backlog. */
  private deliver(r: number, now: number): void {
    const proc = this.processOf(r);
    const idle = this.idleThreads[proc];
    if (idle.length === 0) {
      this.backlog[proc].pushBack(r);
      return;
    }
    const t = idle.popFront();
    this.threadReq[t] = r;
    this.threadRemaining[t] = this.handlerTime(proc);
    this.threadStarted[t] = 0;
    this.threadState[t] = T_WAKING;
    const w = this.wakeup(this.rng);
    if (w > 0) this.sim.schedule(now + w, this.index, WAKE, t);
    else this.makeRunnable(t, now);
  }

  private makeRunnable(t: number, now: number): void {
    this.threadState[t] = T_RUNNABLE;
    this.changeRunnable(1, now);
    if (this.p.scheduler === 'global') {
      this.globalQueue.pushBack(t);
      this.kickIdleCore(now);
      return;
    }
    const k = this.place();
    this.runQueues[k].pushBack(t);
    if (this.coreFree(k)) this.coreNext(k, now);
    else if (this.p.workStealing) this.kickIdleCore(now);
  }

  private place(): number {
    const n = this.n;
    switch (this.p.placement) {
      case 'hash':
        // RSS-style hashing of a flow: flows are random, so the core is uniform.
        return Math.floor(this.rng.next() * n);
      case 'round-robin': {
        const k = this.rr;
        this.rr = k + 1 === n ? 0 : k + 1;
        return k;
      }
      case 'least-loaded': {
        let best = 0;
        let bestLoad = Infinity;
        for (let k = 0; k < n; k++) {
          const load = this.runQueues[k].length + (this.coreThread[k] >= 0 ? 1 : 0);
          if (load < bestLoad) {
            best = k;
            bestLoad = load;
          }
        }
        return best;
      }
    }
  }

  private kickIdleCore(now: number): void {
    for (let k = 0; k < this.n; k++) {
      if (this.coreFree(k) && this.coreThread[k] < 0) {
        this.coreNext(k, now);
        return;
      }
    }
  }

  /** A free core chooses its next work: kernel jobs, its preempted thread, then a run queue. */
  private coreNext(k: number, now: number): void {
    if (this.paused) {
      this.setCategory(k, C_IDLE, now);
      return;
    }
    if (this.kjRing[k] >= 0 || this.kernelJobs[k].length > 0) {
      this.kernelStep(k, now);
      return;
    }
    const cur = this.coreThread[k];
    if (cur >= 0) {
      this.runThread(k, cur, now);
      return;
    }
    let t = -1;
    let overhead = 0;
    if (this.p.scheduler === 'global') {
      if (this.globalQueue.length > 0) {
        t = this.globalQueue.popFront();
        overhead += this.dispatchCost(this.rng);
      }
    } else if (this.runQueues[k].length > 0) {
      t = this.runQueues[k].popFront();
    } else if (this.p.workStealing) {
      let victim = -1;
      let longest = 0;
      for (let j = 0; j < this.n; j++) {
        const len = this.runQueues[j].length;
        if (len > longest) {
          longest = len;
          victim = j;
        }
      }
      if (victim >= 0) {
        t = this.runQueues[victim].popFront();
        overhead += this.stealCost(this.rng);
        this.stats.extras[this.xSteals]++;
      }
    }
    if (t < 0) {
      this.seg[k] = NONE;
      this.setCategory(k, C_IDLE, now);
      return;
    }
    this.changeRunnable(-1, now);
    this.threadState[t] = T_RUNNING;
    this.coreThread[k] = t;
    this.quantumLeft[k] = this.quantum;
    if (t !== this.lastThread[k] && this.lastThread[k] !== -1) {
      overhead += this.contextSwitch(this.rng);
      this.stats.extras[this.xSwitches]++;
    }
    if (overhead > 0) this.startSegment(k, SWITCH, overhead, now);
    else this.runThread(k, t, now);
  }

  private runThread(k: number, t: number, now: number): void {
    this.coreThread[k] = t;
    this.lastThread[k] = t;
    if (this.threadStarted[t] === 0) {
      this.threadStarted[t] = 1;
      this.recordWait(this.threadReq[t], now);
    }
    const rem = this.threadRemaining[t];
    const q = this.quantumLeft[k];
    this.startSegment(k, HANDLER, rem < q ? rem : q, now);
  }

  /** A handler slice ended (finished, or its quantum ran out). */
  private handlerEnd(k: number, now: number): void {
    const t = this.coreThread[k];
    const elapsed = now - this.segStart[k];
    this.seg[k] = NONE;
    this.threadRemaining[t] -= elapsed;
    this.quantumLeft[k] -= elapsed;
    if (this.threadRemaining[t] <= 1e-12 * Math.max(1, now)) {
      const r = this.threadReq[t];
      this.threadReq[t] = -1;
      this.depart(r, now);
      const proc = this.threadProc[t];
      const backlog = this.backlog[proc];
      if (backlog.length > 0) {
        // The thread keeps its core and takes the next request without blocking.
        const r2 = backlog.popFront();
        this.threadReq[t] = r2;
        this.threadRemaining[t] = this.handlerTime(proc);
        this.threadStarted[t] = 0;
        if (this.quantumLeft[k] > 0 || !this.othersWaiting(k)) {
          if (!(this.quantumLeft[k] > 0)) this.quantumLeft[k] = this.quantum;
          this.coreNext(k, now);
          return;
        }
        this.preempt(k, t, now);
        return;
      }
      this.threadState[t] = T_IDLE;
      this.idleThreads[proc].pushBack(t);
      this.coreThread[k] = -1;
      this.coreNext(k, now);
      return;
    }
    // The quantum ran out: round robin if others wait, else a fresh slice.
    if (this.othersWaiting(k)) {
      this.preempt(k, t, now);
      return;
    }
    this.quantumLeft[k] = this.quantum;
    this.coreNext(k, now);
  }

  private othersWaiting(k: number): boolean {
    return this.p.scheduler === 'global' ? this.globalQueue.length > 0 : this.runQueues[k].length > 0;
  }

  private preempt(k: number, t: number, now: number): void {
    this.stats.extras[this.xPreemptions]++;
    this.threadState[t] = T_RUNNABLE;
    this.changeRunnable(1, now);
    if (this.p.scheduler === 'global') this.globalQueue.pushBack(t);
    else this.runQueues[k].pushBack(t);
    this.coreThread[k] = -1;
    this.coreNext(k, now);
  }

  /* ------------------------------------------------------------------------------------ */
  /* Kernel NIC: rings, interrupts, stack work.                                           */
  /* ------------------------------------------------------------------------------------ */

  private kernelArrive(r: number, now: number): void {
    const nic = this.nic!;
    const R = this.rings.length;
    const ring = R === 1 ? 0 : Math.floor(this.rng.next() * R);
    const q = this.rings[ring];
    if (q.length >= nic.ringSize) {
      this.overflow(r, now);
      return;
    }
    this.admit(r, now);
    q.pushBack(r);
    if (this.ringRaised[ring] === 1) return; // being processed: NAPI takes it in the same pass
    const c = nic.coalescing;
    const pending = ++this.ringPending[ring];
    if (c === null || pending >= c.packets) {
      this.raise(ring, now);
    } else if (pending === 1 && c.delay > 0) {
      const g = (this.ringTimer[ring] + 1) & 0x1fffff;
      this.ringTimer[ring] = g;
      this.sim.schedule(now + c.delay, this.index, COALESCE, (g << CORE_BITS) | ring);
    }
  }

  private raise(ring: number, now: number): void {
    this.ringRaised[ring] = 1;
    this.ringPending[ring] = 0;
    this.ringTimer[ring] = (this.ringTimer[ring] + 1) & 0x1fffff; // cancels a coalescing timer
    this.stats.extras[this.xInterrupts]++;
    const k = ring % this.n;
    this.kernelJobs[k].pushBack(ring);
    if (this.seg[k] === HANDLER) this.preemptForKernel(k, now);
    else if (this.coreFree(k)) this.coreNext(k, now);
  }

  /** Kernel work preempts a handler slice; the thread resumes with what it had left. */
  private preemptForKernel(k: number, now: number): void {
    const t = this.coreThread[k];
    const elapsed = now - this.segStart[k];
    this.threadRemaining[t] -= elapsed;
    this.quantumLeft[k] -= elapsed;
    this.gen[k] = (this.gen[k] + 1) & 0x1fffff; // the slice's end event is now stale
    this.seg[k] = NONE;
    this.kernelStep(k, now);
  }

  private kernelStep(k: number, now: number): void {
    let ring = this.kjRing[k];
    if (ring < 0) {
      ring = this.kernelJobs[k].popFront();
      this.kjRing[k] = ring;
      this.startSegment(k, INTERRUPT, this.interruptCost!(this.rng), now);
      return;
    }
    const q = this.rings[ring];
    if (q.length === 0) {
      // The ring is drained: re-arm its interrupt and go back to ordinary work.
      this.ringRaised[ring] = 0;
      this.kjRing[k] = -1;
      this.seg[k] = NONE;
      this.coreNext(k, now);
      return;
    }
    const r = q.popFront();
    this.coreReq[k] = r;
    this.startSegment(k, STACK, this.stackCost!(this.rng), now);
  }

  /* ------------------------------------------------------------------------------------ */
  /* Bypass: pinned polling cores, run to completion.                                     */
  /* ------------------------------------------------------------------------------------ */

  private bypassArrive(r: number, now: number): void {
    const proc = this.processOf(r);
    const q = this.procQueues[proc];
    const cores = this.pinnedCores[proc];
    if (q.length >= this.nic!.ringSize || cores.length === 0) {
      this.overflow(r, now);
      return;
    }
    this.admit(r, now);
    q.pushBack(r);
    for (let i = 0; i < cores.length; i++) {
      const k = cores[i];
      if (this.coreFree(k)) {
        this.bypassNext(k, now);
        return;
      }
    }
  }

  private bypassNext(k: number, now: number): void {
    const set = this.pollSet[k];
    if (this.paused || set.length === 0) {
      this.seg[k] = NONE;
      return;
    }
    for (let i = 0; i < set.length; i++) {
      const c = (this.pollCursor[k] + i) % set.length;
      const q = this.procQueues[set[c]];
      if (q.length > 0) {
        this.pollCursor[k] = (c + 1) % set.length;
        const r = q.popFront();
        this.coreReq[k] = r;
        this.startSegment(k, BYPASS_DELIVER, this.pollCost!(this.rng), now);
        return;
      }
    }
    this.seg[k] = NONE;
    this.setCategory(k, C_POLLING, now); // spin on the rings
  }

  /* ------------------------------------------------------------------------------------ */
  /* Coherent: the NIC reads the cores' scheduling state.                                 */
  /* ------------------------------------------------------------------------------------ */

  private coherentArrive(r: number, now: number): void {
    const proc = this.processOf(r);
    const q = this.procQueues[proc];
    if (q.length >= this.nic!.processQueue) {
      this.overflow(r, now);
      return;
    }
    this.admit(r, now);
    q.pushBack(r);
    this.coherentDispatch(proc, now);
  }

  /** The NIC's decision on an arrival for `proc` (MODEL.md, coherent mode). */
  private coherentDispatch(proc: number, now: number): void {
    if (this.paused) return;
    const n = this.n;
    // A core blocked in receive for this process takes it at once.
    for (let k = 0; k < n; k++) {
      if (this.kState[k] === K_WAITING && this.kProc[k] === proc && this.coreFree(k)) {
        this.handOff(k, now);
        return;
      }
    }
    if (this.coresOf[proc] >= this.maxCores[proc]) return;
    const nic = this.nic!;
    if (this.procQueues[proc].length >= nic.preemptAt * nic.processQueue) {
      for (let k = 0; k < n; k++) {
        const s = this.kState[k];
        if (this.coreFree(k) && (s === K_IDLE || (s === K_WAITING && this.kProc[k] !== proc))) {
          this.moveCore(k, proc, now);
          return;
        }
      }
    } else if (this.coresOf[proc] === 0) {
      for (let k = 0; k < n; k++) {
        if (this.kState[k] === K_IDLE && this.coreFree(k)) {
          this.moveCore(k, proc, now);
          return;
        }
      }
    }
  }

  /** Give core k to `proc`: a context switch, then it takes work or waits for it. */
  private moveCore(k: number, proc: number, now: number): void {
    if (this.kState[k] === K_WAITING) this.coresOf[this.kProc[k]]--;
    this.gen[k] = (this.gen[k] + 1) & 0x1fffff; // cancels a pending try-again
    this.kState[k] = K_BUSY;
    this.kProc[k] = proc;
    this.coresOf[proc]++;
    this.stats.extras[this.xMoves]++;
    this.stats.extras[this.xSwitches]++;
    this.startSegment(k, SWITCH, this.contextSwitch(this.rng), now);
  }

  private handOff(k: number, now: number): void {
    const proc = this.kProc[k];
    const r = this.procQueues[proc].popFront();
    this.gen[k] = (this.gen[k] + 1) & 0x1fffff;
    this.kState[k] = K_BUSY;
    this.coreReq[k] = r;
    this.startSegment(k, COHERENT_DELIVER, this.coherence!(this.rng), now);
  }

  /** Core k is done with a request or a switch: next request, another process, or wait. */
  private coherentNext(k: number, now: number): void {
    this.seg[k] = NONE;
    if (this.paused) return;
    const proc = this.kProc[k];
    if (proc >= 0 && this.procQueues[proc].length > 0) {
      this.handOff(k, now);
      return;
    }
    // Move to a process with work and no core (the longest queue; ties: lowest index).
    let best = -1;
    let bestLen = 0;
    for (let q = 0; q < this.procQueues.length; q++) {
      const len = this.procQueues[q].length;
      if (len > bestLen && this.coresOf[q] === 0) {
        best = q;
        bestLen = len;
      }
    }
    if (best >= 0) {
      // Still counted for its old process (if any) until moveCore moves it.
      if (proc >= 0) this.kState[k] = K_WAITING;
      this.moveCore(k, best, now);
      return;
    }
    if (proc < 0) {
      this.kState[k] = K_IDLE;
      this.setCategory(k, C_IDLE, now);
      return;
    }
    // Block in receive: stall on the cache line until a request or `tryAgain`.
    this.kState[k] = K_WAITING;
    this.setCategory(k, C_POLLING, now);
    const g = (this.gen[k] + 1) & 0x1fffff;
    this.gen[k] = g;
    this.sim.schedule(now + this.nic!.tryAgain, this.index, TRY_AGAIN, (g << CORE_BITS) | k);
  }

  /* ------------------------------------------------------------------------------------ */
  /* Events.                                                                              */
  /* ------------------------------------------------------------------------------------ */

  override handle(local: number, arg: number, now: number): void {
    switch (local) {
      case SEG_END: {
        const k = arg & CORE_MASK;
        if (arg >>> CORE_BITS !== this.gen[k] || this.segEnd[k] !== now) return; // stale
        this.segmentEnd(k, now);
        return;
      }
      case WAKE:
        this.makeRunnable(arg, now);
        return;
      case TRY_AGAIN: {
        const k = arg & CORE_MASK;
        if (arg >>> CORE_BITS !== this.gen[k] || this.kState[k] !== K_WAITING) return;
        // The empty answer: the core goes back to the kernel, free for any process.
        this.coresOf[this.kProc[k]]--;
        this.kProc[k] = -1;
        this.kState[k] = K_IDLE;
        this.setCategory(k, C_IDLE, now);
        this.coherentNext(k, now);
        return;
      }
      case COALESCE: {
        const ring = arg & CORE_MASK;
        if (arg >>> CORE_BITS !== this.ringTimer[ring] || this.ringRaised[ring] === 1) return;
        if (this.rings[ring].length > 0) this.raise(ring, now);
        return;
      }
    }
  }

  private segmentEnd(k: number, now: number): void {
    switch (this.seg[k]) {
      case HANDLER:
        this.handlerEnd(k, now);
        return;
      case SWITCH:
        this.seg[k] = NONE;
        if (this.mode === 'coherent') this.coherentNext(k, now);
        else this.runThread(k, this.coreThread[k], now);
        return;
      case INTERRUPT:
        this.kernelStep(k, now);
        return;
      case STACK: {
        const r = this.coreReq[k];
        this.coreReq[k] = -1;
        this.deliver(r, now);
        this.kernelStep(k, now);
        return;
      }
      case BYPASS_DELIVER:
      case COHERENT_DELIVER: {
        const r = this.coreReq[k];
        this.recordWait(r, now);
        this.startSegment(k, DIRECT_HANDLER, this.handlerTime(this.processOf(r)), now);
        return;
      }
      case DIRECT_HANDLER: {
        const r = this.coreReq[k];
        this.coreReq[k] = -1;
        this.seg[k] = NONE;
        this.depart(r, now);
        if (this.mode === 'bypass') this.bypassNext(k, now);
        else this.coherentNext(k, now);
        return;
      }
    }
  }

  /* ------------------------------------------------------------------------------------ */
  /* Faults.                                                                              */
  /* ------------------------------------------------------------------------------------ */

  override setSlowdown(factor: number): void {
    this.slowdown = factor;
  }

  /** Stop the world: every segment in progress ends `duration` later; nothing new starts. */
  override setPaused(paused: boolean, now: number, duration: number): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) {
      for (let k = 0; k < this.n; k++) {
        if (this.seg[k] === NONE) continue;
        const g = (this.gen[k] + 1) & 0x1fffff;
        this.gen[k] = g;
        this.segEnd[k] += duration;
        this.sim.schedule(this.segEnd[k], this.index, SEG_END, (g << CORE_BITS) | k);
      }
      return;
    }
    for (let k = 0; k < this.n; k++) {
      if (!this.coreFree(k)) continue;
      if (this.mode === 'bypass') this.bypassNext(k, now);
      else if (this.mode === 'coherent') this.coherentNext(k, now);
      else this.coreNext(k, now);
    }
    if (this.mode === 'coherent') for (let q = 0; q < this.procQueues.length; q++) this.coherentDispatch(q, now);
  }
}
