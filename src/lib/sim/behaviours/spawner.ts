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
    const st = this.stats;
    this.xCpu = st.defineExtra('spawnCpu', 'time', true);
    this.xForks = st.defineExtra('forks', 'count', true);
    this.xPosix = st.defineExtra('posixSpawns', 'count', true);
    this.xChildren = st.defineExtra('children', 'time');
  }

  override servers(): number {
    return this.parents;
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  override canTake(): boolean {
    return this.spawning < this.parents && this.backlog.length === 0;
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
    if (this.spawning < this.parents) this.spawn(r, now);
    else this.backlog.pushBack(r);
  }

  private levels(now: number): void {
    const dt = now - this.levelT;
    if (dt > 0) {
      const x = this.stats.extras;
      x[this.xCpu] += this.spawning * dt;
      x[this.xChildren] += this.children * dt;
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
    this.sim.schedule(now + this.cost(now), this.index, SPAWNED, r);
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
      this.depart(r, now);
      return;
    }
    // SPAWNED: the parent is free; the child runs (or the request moves on at once).
    const st = this.stats;
    this.levels(now);
    this.spawning--;
    st.advance(now);
    st.busy--;
    if (this.serviceZero) {
      this.depart(r, now);
    } else {
      this.children++;
      this.sim.schedule(now + this.service(this.rng), this.index, EXITED, r);
    }
    while (this.spawning < this.parents && this.backlog.length > 0) this.spawn(this.backlog.popFront(), now);
    this.refill(now);
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
}
