/**
 * `server`: c identical servers with no buffer of their own (MODEL.md §3). A request that finds
 * every server busy and no queue in front is lost (Erlang B); with a queue in front, the server
 * pulls the next request whenever one of its servers frees.
 *
 * fcfs: each request holds one server for its service time (plus `contention` × requests already
 * in service when it starts, times any `slowdown` in force when it starts).
 * ps: processor sharing; with n in service each progresses at rate min(1, c/n). Implemented with
 * a virtual clock V (dV/dt = rate(n)): a request finishes when V reaches V_start + S, so only
 * the earliest finisher needs an event, rescheduled when n changes.
 *
 * Blocking after service: when `out` is a queue with `onFull: "block"` that cannot take a
 * finished request, the server keeps it — the request stays present here and one server (one
 * admission slot under ps) stays occupied — until the queue calls `unblock`; requests are handed
 * over in the order they finished. Utilisation counts service only; the extra `blocked` is the
 * time average of servers held by a finished request.
 *
 * Statistics: response = time in service (and blocked after it), wait = time since entering the
 * station (the queue in front) until service began, station = wait + response.
 */
import type { Dist, ServerParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { DROP_BUSY, DROP_CANCELLED } from '../nodeStats';
import { Behaviour } from './behaviour';
import { IntDeque } from './intDeque';
import type { QueueBehaviour } from './queue';

const DONE = 0;

export class ServerBehaviour extends Behaviour {
  private c = 1;
  private ps = false;
  private limit = Infinity;
  private contention = 0;
  private slowdown = 1;
  private paused = false;
  private samplers!: Sampler[];
  private defaultSampler!: Sampler;
  /** No serviceByClass: every class draws from `defaultSampler` (no per-request lookup). */
  private oneSampler = true;

  /* fcfs: requests in service, kept only when a pause fault may shift them (`pausable`). */
  private inService = new Int32Array(16);
  private nIn = 0;

  /* ps: virtual clock and a min-heap of (virtual finish, request). */
  private V = 0;
  private lastVT = 0;
  private token = 0;
  private hv = new Float64Array(16);
  private hr = new Int32Array(16);

  /* Blocking after service (only when `out` is a blocking queue): finished requests held, oldest first. */
  private held: IntDeque | null = null;
  private xBlocked = -1;
  private blockedT = 0;

  configure(p: ServerParams, classNames: string[]): void {
    this.c = p.servers;
    this.ps = p.discipline === 'ps';
    this.limit = this.ps ? p.limit : p.servers;
    this.contention = p.contention;
    this.defaultSampler = makeSampler(p.service);
    this.samplers = classNames.map((name) => {
      const d: Dist | undefined = p.serviceByClass[name];
      return d ? makeSampler(d) : this.defaultSampler;
    });
    this.oneSampler = this.samplers.every((x) => x === this.defaultSampler);
    this.stats.enableStation();
  }

  override servers(): number {
    return this.c;
  }

  override wired(): void {
    if (!this.blockingOut) return;
    this.held = new IntDeque(16);
    this.xBlocked = this.stats.defineExtra('blocked', 'time', true);
  }

  override beforeSnapshot(now: number): void {
    if (this.held !== null) this.blockedLevel(now);
  }

  private blockedLevel(now: number): void {
    const dt = now - this.blockedT;
    if (dt > 0) {
      this.stats.extras[this.xBlocked] += this.held!.length * dt;
      this.blockedT = now;
    }
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  override canTake(): boolean {
    return !this.paused && this.nIn < this.limit;
  }

  override load(): number {
    return this.nIn;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    st.arrivals++;
    const pool = this.pool;
    if (pool.cancelled[r] === 1 || this.paused || this.nIn >= this.limit) {
      this.refuse(r, now);
      return;
    }
    const se = pool.stationEnter[r];
    if (se !== se) {
      // NaN: no queue in front, its station starts here.
      pool.stationEnter[r] = now;
      st.wait.recordZero();
    } else {
      st.wait.record(now - se);
    }
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    let s = (this.oneSampler ? this.defaultSampler : this.samplers[pool.gcls[r]])(this.rng) * this.slowdown;
    if (this.contention > 0) s += this.contention * this.nIn;
    st.advance(now);
    st.present++;
    if (this.ps) {
      this.psAdmit(r, s, now);
      return;
    }
    st.busy++;
    if (this.pausable) this.track(r);
    this.nIn++;
    const due = now + s;
    pool.due[r] = due;
    this.sim.schedule(due, this.index, DONE, r);
  }

  /** Keep r in the list of requests in service (a pause shifts their completions). */
  private track(r: number): void {
    if (this.nIn === this.inService.length) this.inService = grow32(this.inService);
    this.pool.slot[r] = this.nIn;
    this.inService[this.nIn] = r;
  }

  /** An arrival it cannot start: cancelled by its client, or no server free. */
  private refuse(r: number, now: number): void {
    // Cancelled (`cancelOnTimeout`): its client gave up on it; discarded before starting.
    this.sim.drop(this, r, this.pool.cancelled[r] === 1 ? DROP_CANCELLED : DROP_BUSY, now);
  }

  override handle(_local: number, arg: number, now: number): void {
    if (this.ps) {
      if (arg === this.token) this.psComplete(now);
      return;
    }
    const pool = this.pool;
    // Stale after a pause moved the completion: the request's due time no longer matches.
    if (pool.at[arg] !== this.index || pool.due[arg] !== now) return;
    if (--this.nIn > 0 && this.pausable) {
      // Fill its place with the last in the list.
      const slot = pool.slot[arg];
      const last = this.inService[this.nIn];
      this.inService[slot] = last;
      pool.slot[last] = slot;
    }
    this.stats.advance(now);
    this.stats.busy--;
    this.depart(arg, now);
  }

  private depart(r: number, now: number): void {
    if (this.blockingOut && !(this.out as QueueBehaviour).wouldTake()) {
      // Blocked after service: keep r and its server (one admission slot fewer) until the queue has room.
      this.blockedLevel(now);
      this.held!.pushBack(r);
      this.limit--;
      (this.out as QueueBehaviour).enlist(this);
      return;
    }
    this.leave(r, now);
  }

  override unblock(now: number): void {
    this.blockedLevel(now);
    const r = this.held!.popFront();
    this.limit++;
    this.stats.advance(now); // leave() counts on the caller to have brought the areas to now
    this.leave(r, now);
  }

  private leave(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.present--;
    st.departures++;
    st.response.record(now - pool.enteredAt[r]);
    st.station!.record(now - pool.stationEnter[r]);
    pool.stationEnter[r] = NaN;
    pool.due[r] = NaN;
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
    this.refill(now);
  }

  /* ---------------- processor sharing ---------------- */

  private psRate(n: number): number {
    return n <= this.c ? 1 : this.c / n;
  }

  private psAdvance(now: number): void {
    if (!this.paused && this.nIn > 0) this.V += (now - this.lastVT) * this.psRate(this.nIn);
    this.lastVT = now;
  }

  private psAdmit(r: number, s: number, now: number): void {
    this.psAdvance(now);
    this.heapPush(this.V + s, r);
    this.stats.busy = Math.min(this.nIn, this.c);
    this.psReschedule(now);
  }

  private psComplete(now: number): void {
    this.psAdvance(now);
    const r = this.heapPop();
    this.stats.advance(now);
    this.stats.busy = Math.min(this.nIn, this.c);
    this.psReschedule(now);
    this.depart(r, now);
  }

  private psReschedule(now: number): void {
    this.token++;
    if (this.nIn === 0 || this.paused) return;
    const dv = Math.max(0, this.hv[0] - this.V);
    this.sim.schedule(now + dv / this.psRate(this.nIn), this.index, DONE, this.token);
  }

  private heapPush(v: number, r: number): void {
    if (this.nIn === this.hv.length) {
      const hv = new Float64Array(this.hv.length * 2);
      hv.set(this.hv);
      this.hv = hv;
      this.hr = grow32(this.hr);
    }
    let i = this.nIn++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.hv[parent] <= v) break;
      this.hv[i] = this.hv[parent];
      this.hr[i] = this.hr[parent];
      i = parent;
    }
    this.hv[i] = v;
    this.hr[i] = r;
  }

  private heapPop(): number {
    const top = this.hr[0];
    const n = --this.nIn;
    if (n > 0) {
      const v = this.hv[n];
      const r = this.hr[n];
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.hv[child + 1] < this.hv[child]) child++;
        if (this.hv[child] >= v) break;
        this.hv[i] = this.hv[child];
        this.hr[i] = this.hr[child];
        i = child;
      }
      this.hv[i] = v;
      this.hr[i] = r;
    }
    return top;
  }

  /* ---------------- faults ---------------- */

  override setSlowdown(factor: number): void {
    this.slowdown = factor;
  }

  override setPaused(paused: boolean, now: number, duration: number): void {
    if (paused === this.paused) return;
    if (this.ps) {
      this.psAdvance(now);
      this.paused = paused;
      this.psReschedule(now);
    } else {
      this.paused = paused;
      if (paused) {
        // Stop the world: every request in service finishes `duration` later.
        const pool = this.pool;
        for (let i = 0; i < this.nIn; i++) {
          const r = this.inService[i];
          const due = pool.due[r] + duration;
          pool.due[r] = due;
          this.sim.schedule(due, this.index, DONE, r);
        }
      }
    }
    if (!paused) this.refill(now);
  }
}

function grow32(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
