/**
 * `spawner`: a process created per request (CGI, a shell, serverless), MODEL.md §3 and PAPERS.md
 * §3. `parents` single-threaded parent processes create the children; a spawn occupies its
 * parent for the spawn cost, then the child runs the request for `service` (children run in
 * parallel, each its own process) and the request moves on downstream when the child exits.
 * With `service` 0 (the default) the request moves on as soon as it is spawned, so the child's
 * work can be modelled downstream (a `server`, or `cores` for CPU contention).
 *
 * Spawn cost by mechanism:
 *  - `fork-exec`: forkCost.fixed + forkCost.perMiB × parentMemory in MiB (copying the page
 *    tables of the parent's resident memory, thrown away by exec);
 *  - `posix_spawn`: spawnCost, flat (vfork-style: no copy);
 *  - `spork`: each spawn is rewritten to posix_spawn with probability spork.rewritable, and
 *    falls back to fork otherwise. The binary is analysed once, by the first spawn, whose
 *    parent is busy analysisCost more; spawns that start before that analysis is done fork.
 *
 * Requests wait FIFO for a free parent. A queue in front holds them when it is wired (the
 * spawner takes work only when a parent is free: back-pressure, the queue's capacity and drops
 * apply); requests pushed in by anything else wait in the spawner's own unbounded backlog. A
 * spawner never loses a request.
 *
 * `requestsPerSpawn` N > 1: one spawn serves N consecutive requests (a pipeline stage reading a
 * file in chunks, a worker that exits after N requests): the first of every N pays the spawn cost
 * (and counts as a fork or posix_spawn), the others pass the parent at no cost, in FIFO order.
 *
 * Blocking after service: when `out` is a queue with `onFull: "block"` that cannot take the
 * request, it is held — by its parent (service 0: the parent stays occupied, as a shell that
 * cannot write on) or by its child (the child stays alive, blocked on its write) — until the
 * queue calls `unblock`; held requests are handed over in the order they were held. The extra
 * `blocked` is the time average of requests held.
 *
 * Statistics: wait = time from entering the station (queue in front, or the spawner) until the
 * spawn began; response = time in the spawner (backlog + spawn + child); utilisation = fraction
 * of parent time spent spawning. Extras: `spawnCpu` (time average of parents busy spawning,
 * analysis included: the CPUs lost to creating processes), `forks` and `posixSpawns` (spawns by
 * each path), `children` (time average of children running).
 */
import type { SpawnerParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { Behaviour } from './behaviour';
import { IntDeque } from './intDeque';
import type { QueueBehaviour } from './queue';

const SPAWNED = 0;
const EXITED = 1;

const FORK = 0;
const POSIX_SPAWN = 1;
const SPORK = 2;

const MIB = 1024 * 1024;

export class SpawnerBehaviour extends Behaviour {
  private mechanism = FORK;
  private forkFixed!: Sampler;
  /** The memory-proportional part of a fork, seconds. */
  private forkMemory = 0;
  private spawnCost!: Sampler;
  private rewritable = 1;
  private analysis!: Sampler;
  private analysed = false;
  private analysisDoneAt = -Infinity;
  private parents = 1;
  private service!: Sampler;
  private serviceZero = true;

  private spawning = 0;
  private children = 0;
  private readonly backlog = new IntDeque();
  /** requestsPerSpawn, and how many requests the current spawn has served (0: the next one spawns). */
  private perSpawn = 1;
  private sinceSpawn = 0;
  /** Blocking after service: held requests, oldest first (r held by its parent, ~r by its child). */
  private held: IntDeque | null = null;
  /** Parents occupied by a held request. */
  private heldParents = 0;
  private xBlocked = -1;

  private xCpu = -1;
  private xForks = -1;
  private xPosix = -1;
  private xChildren = -1;
  private levelT = 0;

  configure(p: SpawnerParams): void {
    this.mechanism = p.mechanism === 'posix_spawn' ? POSIX_SPAWN : p.mechanism === 'spork' ? SPORK : FORK;
    this.forkFixed = makeSampler(p.forkCost.fixed);
    this.forkMemory = p.forkCost.perMiB * (p.parentMemory / MIB);
    this.spawnCost = makeSampler(p.spawnCost);
    this.rewritable = p.spork.rewritable;
    this.analysis = makeSampler(p.spork.analysisCost);
    this.parents = p.parents;
    this.service = makeSampler(p.service);
    this.serviceZero = p.service.dist === 'det' && p.service.value === 0;
    this.perSpawn = p.requestsPerSpawn ?? 1;
    const st = this.stats;
    this.xCpu = st.defineExtra('spawnCpu', 'time', true);
    this.xForks = st.defineExtra('forks', 'count', true);
    this.xPosix = st.defineExtra('posixSpawns', 'count', true);
    this.xChildren = st.defineExtra('children', 'time');
  }

  override servers(): number {
    return this.parents;
  }

  override wired(): void {
    if (!this.blockingOut) return;
    this.held = new IntDeque(16);
    this.xBlocked = this.stats.defineExtra('blocked', 'time', true);
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  override canTake(): boolean {
    return this.spawning + this.heldParents < this.parents && this.backlog.length === 0;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    st.advance(now);
    st.present++;
    pool.at[r] = this.index;
    pool.enteredAt[r] = now;
    if (Number.isNaN(pool.stationEnter[r])) pool.stationEnter[r] = now;
    if (this.spawning + this.heldParents < this.parents) this.spawn(r, now);
    else this.backlog.pushBack(r);
  }

  private levels(now: number): void {
    const dt = now - this.levelT;
    if (dt > 0) {
      const x = this.stats.extras;
      x[this.xCpu] += this.spawning * dt;
      x[this.xChildren] += this.children * dt;
      if (this.held !== null) x[this.xBlocked] += this.held.length * dt;
      this.levelT = now;
    }
  }

  override beforeSnapshot(now: number): void {
    this.levels(now);
  }

  private spawn(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.wait.record(now - pool.stationEnter[r]);
    pool.waited[r] += now - pool.enteredAt[r]; // a queue in front added its own share
    pool.stationEnter[r] = NaN;
    this.levels(now);
    this.spawning++;
    st.advance(now);
    st.busy++;
    let c: number;
    if (this.perSpawn === 1) c = this.cost(now);
    else {
      // One spawn for every perSpawn requests: the rest find the process running.
      c = this.sinceSpawn === 0 ? this.cost(now) : 0;
      this.sinceSpawn = this.sinceSpawn + 1 === this.perSpawn ? 0 : this.sinceSpawn + 1;
    }
    this.sim.schedule(now + c, this.index, SPAWNED, r);
  }

  /** The parent's busy time for a spawn starting now (draws from this node's stream). */
  private cost(now: number): number {
    const x = this.stats.extras;
    if (this.mechanism === FORK) {
      x[this.xForks]++;
      return this.forkFixed(this.rng) + this.forkMemory;
    }
    if (this.mechanism === POSIX_SPAWN) {
      x[this.xPosix]++;
      return this.spawnCost(this.rng);
    }
    let extra = 0;
    if (!this.analysed) {
      this.analysed = true;
      extra = this.analysis(this.rng);
      this.analysisDoneAt = now + extra;
    }
    const p = this.rewritable;
    const rewritten = now + extra >= this.analysisDoneAt && (p >= 1 || (p > 0 && this.rng.next() < p));
    if (rewritten) {
      x[this.xPosix]++;
      return extra + this.spawnCost(this.rng);
    }
    x[this.xForks]++;
    return extra + this.forkFixed(this.rng) + this.forkMemory;
  }

  override handle(local: number, r: number, now: number): void {
    if (local === EXITED) {
      this.levels(now);
      this.children--;
      this.depart(r, now, false);
      return;
    }
    // SPAWNED: the parent is free; the child runs (or the request moves on at once).
    const st = this.stats;
    this.levels(now);
    this.spawning--;
    st.advance(now);
    st.busy--;
    if (this.serviceZero) {
      this.depart(r, now, true);
    } else {
      this.children++;
      this.sim.schedule(now + this.service(this.rng), this.index, EXITED, r);
    }
    this.takeWork(now);
  }

  private takeWork(now: number): void {
    while (this.spawning + this.heldParents < this.parents && this.backlog.length > 0) this.spawn(this.backlog.popFront(), now);
    this.refill(now);
  }

  /** r is done here (`parent`: it never had a child); on downstream, or held for a full blocking queue. */
  private depart(r: number, now: number, parent: boolean): void {
    if (this.blockingOut && !(this.out as QueueBehaviour).wouldTake()) {
      this.levels(now);
      if (parent) {
        this.heldParents++;
        this.held!.pushBack(r);
      } else {
        this.children++; // the child lives on, blocked on its write
        this.held!.pushBack(~r);
      }
      (this.out as QueueBehaviour).enlist(this);
      return;
    }
    this.leave(r, now);
  }

  override unblock(now: number): void {
    this.levels(now);
    const v = this.held!.popFront();
    if (v >= 0) {
      this.heldParents--;
      this.leave(v, now);
      this.takeWork(now);
    } else {
      this.children--;
      this.leave(~v, now);
    }
  }

  private leave(r: number, now: number): void {
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    st.response.record(now - this.pool.enteredAt[r]);
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }
}
