/**
 * The base of every node behaviour. One subclass per node kind, one file each, registered by
 * `kind` in ./index.ts — adding a kind touches that registry and one new file.
 *
 * Flow contract (MODEL.md §2):
 *  - `arrive(r, now)`: request r reaches this node's input. The node owns r from then on: it
 *    buffers it, serves it, forwards it with `forward`, or drops it with `sim.drop`.
 *  - `canTake()`: would this node accept a request now without buffering it or losing it?
 *    A queue passes a request straight through when its downstream can take it.
 *  - `pull()`: a downstream node that just freed capacity asks for work; return a request
 *    (ownership moves to the caller) or -1. Queues answer; routers pass the question upstream.
 *  - `handle(local, arg, now)`: one of this node's own scheduled events (local code 0..15).
 */
import type { Rng } from '../rng';
import type { RequestPool } from '../requests';
import { NodeStats } from '../nodeStats';

export interface SimContext {
  readonly pool: RequestPool;
  /** Current time-series bucket. */
  bucket: number;
  now: number;
  /** Schedule an event for node `node` at absolute time `time`. */
  schedule(time: number, node: number, local: number, arg: number): void;
  /** A request left the system successfully (at a sink, or an output with no edge). */
  complete(r: number, now: number): void;
  /** Drop a request at `node` for `reason` (an index into DROP_REASONS). */
  drop(node: Behaviour, r: number, reason: number, now: number): void;
  readonly nodes: Behaviour[];
}

export abstract class Behaviour {
  /** The single target of the main output port, or null when nothing is wired to it. */
  out: Behaviour | null = null;
  /** Every target of each output port, in port order (routers fan out on port 0). */
  outs: Behaviour[][] = [];
  /** Edge weights matching `outs` (routing). */
  outWeights: number[][] = [];
  /** Nodes with an edge into this node's input. */
  upstream: Behaviour[] = [];
  /**
   * The upstream nodes that can answer `pull()` (their kind overrides it), in `upstream` order;
   * set when the model is wired. The others always answer −1 and have no side effect, so
   * leaving them out of the round robin changes nothing but the calls saved: the yielding
   * sources are visited in the same cyclic order from the same place.
   */
  pullSources: Behaviour[] = [];
  /** Whether a `pause` fault targets this node (set before `start`): state kept only for it can be skipped otherwise. */
  pausable = false;
  /**
   * True when `out` is a queue with `onFull: "block"` (set by that queue's `prewire`). A kind
   * that can hold a finished request (server, spawner) then asks the queue before handing it
   * over, keeps it while the queue is full, and hands it over when the queue calls `unblock`.
   */
  blockingOut = false;
  private pullCursor = 0;
  /** `sim.pool`, one load nearer: the pool object is the replication's for its whole life. */
  protected readonly pool: RequestPool;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly kind: string,
    readonly stats: NodeStats,
    readonly rng: Rng,
    readonly sim: SimContext
  ) {
    this.pool = sim.pool;
  }

  abstract arrive(r: number, now: number): void;

  canTake(): boolean {
    return true;
  }

  pull(): number {
    return -1;
  }

  /** Requests at or committed to this node, for load-aware routing. */
  load(): number {
    return this.stats.present;
  }

  handle(_local: number, _arg: number, _now: number): void {}

  /**
   * Request r, which this node watched (`pool.watcher`), left the system: completed or dropped.
   * A watcher must pass the news on to the watcher it displaced.
   */
  left(_r: number, _now: number): void {}

  /**
   * The blocking queue at `out` has room for the request this node holds longest (blocking after
   * service): hand it over now (the queue accepts it whatever its length) and take new work.
   */
  unblock(_now: number): void {}

  /** Schedule the node's first events (time 0). */
  start(_now: number): void {}

  /** Called on every node after edges are wired and before any `wired()` (cross-node setup). */
  prewire(): void {}

  /** Called once after all nodes are wired (compile time). */
  wired(): void {}

  /** Bring kind-specific time integrals up to `now` (before a warm-up snapshot and at the end). */
  beforeSnapshot(_now: number): void {}

  /* Fault hooks; a node ignores faults that do not apply to it (validation refuses those). */
  setRate(_rate: number, _now: number): void {}
  setSlowdown(_factor: number, _now: number): void {}
  setPaused(_paused: boolean, _now: number, _duration: number): void {}

  /**
   * Whether this node may write the pool's optional per-request fields (`lbRouter`/`lbEdge`,
   * `cancelled`, `cacheNode`/`cacheKey`, `watcher`). When no node of a model does, they keep
   * their neutral values and the pool skips resetting them at every alloc (RequestPool
   * `resetExtras`). True unless a kind knows better, so that a new kind is safe by default.
   */
  writesRequestExtras(): boolean {
    return true;
  }

  /** Number of servers, for utilisation (0 = the node has none). */
  servers(): number {
    return 0;
  }

  /**
   * Pass r on along the main output, or complete it there when nothing is wired. The engine's
   * behaviours write these two lines out where they forward instead of calling this: each call
   * site then keeps its own type feedback (a client always feeds the same kind of node), where
   * a shared helper would see every kind in the model and dispatch megamorphically.
   */
  protected forward(r: number, now: number): void {
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }

  /** Take work from upstream while this node can take it (round-robin over sources). */
  protected refill(now: number): void {
    const ups = this.pullSources;
    const n = ups.length;
    if (n === 0) return;
    let misses = 0;
    while (misses < n && this.canTake()) {
      const u = ups[this.pullCursor];
      this.pullCursor = this.pullCursor + 1 === n ? 0 : this.pullCursor + 1;
      const r = u.pull();
      if (r < 0) {
        misses++;
        continue;
      }
      misses = 0;
      this.arrive(r, now);
    }
  }
}
