/**
 * `queue`: a buffer in front of whatever it feeds (MODEL.md §3). The node downstream pulls when
 * it can take work; a request that finds the queue empty and the downstream free passes straight
 * through (waiting 0). A full queue drops (`drop`) or rejects (`reject`, which tells the client at
 * once). Disciplines: fifo, lifo (non-preemptive), priority (smaller class `priority` first,
 * FIFO within a level, non-preemptive).
 *
 * `canTake()` is "not full", so chained queues give back-pressure: the upstream one holds
 * requests while the downstream one is full.
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

  configure(p: QueueParams, classPriorities: number[]): void {
    this.capacity = p.capacity;
    this.lifo = p.discipline === 'lifo';
    this.onFullReason = p.onFull === 'reject' ? DROP_REJECTED : DROP_FULL;
    if (p.discipline === 'priority') {
      const distinct = [...new Set(classPriorities)].sort((a, b) => a - b);
      this.levels = distinct.map(() => new IntDeque());
      this.levelOf = Int32Array.from(classPriorities, (pr) => distinct.indexOf(pr));
      if (this.levels.length === 0) this.levels = [new IntDeque()];
    }
  }

  override canTake(): boolean {
    return this.len < this.capacity;
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
    if (this.len >= this.capacity) {
      this.sim.drop(this, r, this.onFullReason, now);
      return;
    }
    st.advance(now);
    st.present++;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    const lv = this.levelOf === null ? 0 : this.levelOf[pool.gcls[r]];
    this.levels[lv].pushBack(r);
    this.len++;
  }

  override pull(): number {
    if (this.len === 0) return -1;
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
    // Space freed: take from upstream queues that were held back (back-pressure).
    if (this.pullSources.length > 0) this.refillInPull(now);
    return r;
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
