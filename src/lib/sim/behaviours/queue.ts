/**
 * `queue`: a buffer in front of whatever it feeds (MODEL.md §3). The node downstream pulls when
 * it can take work; a request that finds the queue empty and the downstream free passes straight
 * through (waiting 0). A full queue drops (`drop`) or rejects (`reject`, which tells the client at
 * once). Disciplines: fifo, lifo (non-preemptive), priority (smaller class `priority` first,
 * FIFO within a level, non-preemptive).
 *
 * `canTake()` is "not full", so chained queues give back-pressure: the upstream one holds
 * requests while the downstream one is full.
 *
 * `block` (back-pressure on any sender, "blocking after service"): a sender that can hold a
 * finished request (server, spawner; Behaviour.blockingOut) asks `wouldTake()` first and, when
 * the queue is full, keeps the request — its server or parent stays occupied — and enlists here.
 * Whenever the queue gives up a request, the longest-blocked sender hands its request over (FIFO
 * in the order they blocked), before upstream queues are pulled. A capacity of 0 is a rendezvous:
 * a sender hands over only when the node downstream takes the request at once, so the queue
 * itself never holds one. Requests offered by a kind that cannot hold them (a client — an open
 * source cannot be blocked — a link, router…) are rejected when the queue is full, as with
 * `reject`.
 */
import type { QueueParams } from '../../model/types';
import { DROP_FULL, DROP_REJECTED } from '../nodeStats';
import { Behaviour } from './behaviour';
import { IntDeque } from './intDeque';

export class QueueBehaviour extends Behaviour {
  private capacity = Infinity;
  private lifo = false;
  private onFullReason = DROP_FULL;
  /** One deque per priority level (a single one for fifo and lifo). */
  private levels: IntDeque[] = [new IntDeque()];
  /** Global class index → level. */
  private levelOf: Int32Array | null = null;
  private len = 0;
  /** True while refilling inside pull(): the caller has not placed its request yet. */
  private inPull = false;
  /** onFull "block". */
  private block = false;
  /** Senders holding a request for this full queue, by node index, one entry per request, oldest first. */
  private readonly blocked = new IntDeque(16);
  /** True while a blocked sender hands its request over: `arrive` takes it whatever the length. */
  private admitting = false;

  configure(p: QueueParams, classPriorities: number[]): void {
    this.capacity = p.capacity;
    this.lifo = p.discipline === 'lifo';
    this.onFullReason = p.onFull === 'drop' ? DROP_FULL : DROP_REJECTED;
    this.block = p.onFull === 'block';
    if (p.discipline === 'priority') {
      const distinct = [...new Set(classPriorities)].sort((a, b) => a - b);
      this.levels = distinct.map(() => new IntDeque());
      this.levelOf = Int32Array.from(classPriorities, (pr) => distinct.indexOf(pr));
      if (this.levels.length === 0) this.levels = [new IntDeque()];
    }
  }

  override canTake(): boolean {
    if (this.block) return this.wouldTake();
    return this.len < this.capacity;
  }

  /** A blocking queue: the senders whose main output is this queue may block on it. */
  override prewire(): void {
    if (!this.block) return;
    for (const u of this.upstream) if (u.out === this) u.blockingOut = true;
  }

  /**
   * Would `arrive` take a request now (pass it through or buffer it) rather than refuse it? False
   * while senders are blocked here, so that a newcomer queues behind them.
   */
  wouldTake(): boolean {
    if (this.blocked.length > 0) return false;
    if (this.len < this.capacity) return true;
    const o = this.out;
    return this.len === 0 && !this.inPull && o !== null && o.canTake();
  }

  /** `sender` holds a request for this queue (it asked `wouldTake()` and got false). */
  enlist(sender: Behaviour): void {
    this.blocked.pushBack(sender.index);
  }

  /** Senders blocked now (tests and the live view). */
  blockedSenders(): number {
    return this.blocked.length;
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  override load(): number {
    // A queue feeding one server stands for the whole station.
    const o = this.out;
    return o !== null && o.kind === 'server' ? this.len + o.stats.present : this.len;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    const se = pool.stationEnter[r];
    if (se !== se) pool.stationEnter[r] = now; // NaN: not in a station yet
    const o = this.out;
    if (this.len === 0 && !this.inPull && o !== null && o.canTake()) {
      st.departures++;
      st.response.recordZero(); // a queue's wait is its response (summary reads one for both)
      o.arrive(r, now);
      return;
    }
    if (this.len >= this.capacity && !this.admitting) {
      this.sim.drop(this, r, this.onFullReason, now);
      return;
    }
    this.admitting = false;
    st.advance(now);
    st.present++;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    const lv = this.levelOf === null ? 0 : this.levelOf[pool.gcls[r]];
    this.levels[lv].pushBack(r);
    this.len++;
  }

  override pull(): number {
    if (this.len === 0 && !(this.block && this.admitOne())) return -1;
    const levels = this.levels;
    let r: number;
    if (levels.length === 1) r = this.lifo ? levels[0].popBack() : levels[0].popFront();
    else r = this.popHighest();
    this.len--;
    const now = this.sim.now;
    const st = this.stats;
    const pool = this.pool;
    st.advance(now);
    st.present--;
    st.departures++;
    const w = now - pool.enteredAt[r];
    st.response.record(w);
    pool.waited[r] += w;
    // Space freed: blocked senders first, in the order they blocked, then upstream queues that
    // were held back (back-pressure).
    if (this.block) while (this.blocked.length > 0 && this.len < this.capacity) this.release(now);
    if (this.pullSources.length > 0) this.refillInPull(now);
    return r;
  }

  /**
   * An empty blocking queue asked for work (a rendezvous, capacity 0): take one request from
   * the longest-blocked sender, or else from an upstream queue, so that it can be passed on.
   */
  private admitOne(): boolean {
    const now = this.sim.now;
    if (this.blocked.length > 0) {
      this.release(now);
      return this.len > 0;
    }
    const ups = this.pullSources;
    for (let i = 0; i < ups.length; i++) {
      const r = ups[i].pull();
      if (r >= 0) {
        this.inPull = true;
        this.admitting = true;
        this.arrive(r, now);
        this.admitting = false;
        this.inPull = false;
        return this.len > 0;
      }
    }
    return false;
  }

  /** The longest-blocked sender hands its request over (it then takes new work). */
  private release(now: number): void {
    const sender = this.sim.nodes[this.blocked.popFront()];
    const was = this.inPull;
    this.inPull = true; // the caller of pull() has not placed its request yet: no passing through
    this.admitting = true;
    sender.unblock(now);
    this.admitting = false;
    this.inPull = was;
  }

  /** Priority: the first request of the most urgent non-empty level (the queue is not empty). */
  private popHighest(): number {
    const levels = this.levels;
    for (let i = 0; ; i++) {
      const d = levels[i];
      if (d.length > 0) return this.lifo ? d.popBack() : d.popFront();
    }
  }

  private refillInPull(now: number): void {
    this.inPull = true;
    this.refill(now);
    this.inPull = false;
  }
}
