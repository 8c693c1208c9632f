/**
 * `cache`: a look-aside cache that must be warm (MODEL.md §3).
 *
 * A request arriving at the cache asks for a key: the key the request already carries (a retry
 * of a logical request that reached a cache before, or a request that passed another cache),
 * else one drawn here from `keys` keys with Zipf popularity (rank k with probability ∝ k^−s;
 * s = 0 is uniform; key k−1 has rank k). The lookup takes `lookupCost` (an infinite-server delay:
 * lookups do not queue), then the request leaves by `hit` when the key is cached and still
 * fresh, else by `miss`.
 *
 * Filled on the way back: a request that missed carries this cache's index (`pool.cacheNode`);
 * when it completes (reaches a sink, or an output with no edge) the engine calls `fill` and the
 * key is inserted at that moment (a key already present, filled meanwhile by another request,
 * is refreshed). A missed request that is lost fills nothing. A completion of an attempt its
 * client gave up on still fills: the data did come back. A request that misses two caches in a
 * row fills only the last one.
 *
 * Eviction: LRU over `capacity` entries (a hit or a fill makes the key most recent; a fill into a
 * full cache evicts the least recent). With `ttl`, an entry is fresh for `ttl` seconds after it was
 * filled (hits do not extend it); a lookup that finds it stale removes it and misses. Under the
 * independent reference model the hit ratio follows Che's approximation (tested).
 *
 * The `flush` fault empties the cache at its start and keeps it empty while it lasts (every
 * lookup misses, fills are discarded), like a cache node restarting; afterwards it warms again.
 *
 * Data structures, sized once (no allocation per request): entries in slots 0..capacity−1 on a
 * doubly linked recency list (prev/next), and an open-addressing hash table (linear probing,
 * backward-shift deletion) from key to slot.
 *
 * Statistics: response = lookup time; extras hits and misses (with per-bucket series), fills,
 * evictions, expirations.
 */
import type { CacheParams } from '../../model/kinds/cache';
import { makeSampler, type Sampler } from '../distributions';
import { exp, expm1, log, log1p } from '../detmath';
import { Behaviour } from './behaviour';
import type { Rng } from '../rng';

const LOOKED_UP = 0;
const PORT_HIT = 0;
const PORT_MISS = 1;

export class CacheBehaviour extends Behaviour {
  private capacity = 0;
  private ttl = Infinity;
  private lookup!: Sampler;
  private instant = true;
  private zipf!: ZipfSampler;
  private flushed = false;

  /* Entries: recency list over slots; head = most recent. */
  private slotKey = new Int32Array(0);
  private slotTime = new Float64Array(0);
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  private head = -1;
  private tail = -1;
  private used = 0;
  private freeSlots = new Int32Array(0);
  private freeTop = 0;
  /* Hash table: slot + 1, 0 = empty. */
  private table = new Int32Array(0);
  private mask = 0;
  private shift = 32;

  private xHits = 0;
  private xMisses = 0;
  private xFills = 0;
  private xEvictions = 0;
  private xExpired = 0;

  configure(p: CacheParams): void {
    this.capacity = Math.min(p.capacity, p.keys);
    this.ttl = p.ttl ?? Infinity;
    this.lookup = makeSampler(p.lookupCost);
    const lc = p.lookupCost;
    this.instant = lc.dist === 'det' && lc.value === 0;
    this.zipf = new ZipfSampler(p.keys, p.s);
    const c = this.capacity;
    if (c > 0) {
      this.slotKey = new Int32Array(c);
      this.slotTime = new Float64Array(c);
      this.prev = new Int32Array(c);
      this.next = new Int32Array(c);
      this.freeSlots = new Int32Array(c);
      let bits = 1;
      while (1 << bits < 2 * c) bits++;
      this.table = new Int32Array(1 << bits);
      this.mask = (1 << bits) - 1;
      this.shift = 32 - bits;
    }
    const st = this.stats;
    this.xHits = st.defineExtra('hits', 'count', true);
    this.xMisses = st.defineExtra('misses', 'count', true);
    this.xFills = st.defineExtra('fills', 'count');
    this.xEvictions = st.defineExtra('evictions', 'count');
    this.xExpired = st.defineExtra('expirations', 'count');
  }

  /** Entries cached now (for tests and the live view). */
  get size(): number {
    return this.used;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    if (pool.cacheKey[r] < 0) pool.cacheKey[r] = this.zipf.sample(this.rng);
    if (this.instant) {
      st.departures++;
      st.response.recordZero();
      st.wait.recordZero();
      this.answer(r, now);
      return;
    }
    st.advance(now);
    st.present++;
    pool.stationEnter[r] = NaN;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    st.wait.recordZero();
    this.sim.schedule(now + this.lookup(this.rng), this.index, LOOKED_UP, r);
  }

  override handle(_local: number, r: number, now: number): void {
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    st.response.record(now - this.pool.enteredAt[r]);
    this.answer(r, now);
  }

  /** The lookup of r's key is done: hit or miss, and out by that port. */
  private answer(r: number, now: number): void {
    const pool = this.pool;
    const key = pool.cacheKey[r];
    const x = this.stats.extras;
    let port = PORT_MISS;
    const pos = this.capacity > 0 ? this.find(key) : -1;
    if (pos >= 0) {
      const slot = this.table[pos] - 1;
      if (now - this.slotTime[slot] < this.ttl) {
        port = PORT_HIT;
        this.touch(slot);
      } else {
        this.removeAt(pos, slot);
        x[this.xExpired]++;
      }
    }
    if (port === PORT_HIT) x[this.xHits]++;
    else {
      x[this.xMisses]++;
      pool.cacheNode[r] = this.index;
    }
    const targets = this.outs[port];
    if (targets !== undefined && targets.length > 0) targets[0].arrive(r, now);
    else this.sim.complete(r, now);
  }

  /** A request that missed here completed: its key comes back and is cached (called by the engine). */
  fill(key: number, now: number): void {
    if (this.capacity === 0 || this.flushed) return;
    const x = this.stats.extras;
    const pos = this.find(key);
    if (pos >= 0) {
      const slot = this.table[pos] - 1;
      this.slotTime[slot] = now;
      this.touch(slot);
      x[this.xFills]++;
      return;
    }
    if (this.used === this.capacity) {
      const victim = this.tail;
      this.removeAt(this.find(this.slotKey[victim]), victim);
      x[this.xEvictions]++;
    }
    const slot = this.freeTop > 0 ? this.freeSlots[--this.freeTop] : this.used;
    this.used++;
    this.slotKey[slot] = key;
    this.slotTime[slot] = now;
    this.pushFront(slot);
    let i = this.hash(key);
    while (this.table[i] !== 0) i = (i + 1) & this.mask;
    this.table[i] = slot + 1;
    x[this.xFills]++;
  }

  /** The `flush` fault: empty now; stay empty until it ends. */
  setFlushed(flushed: boolean): void {
    this.flushed = flushed;
    if (!flushed) return;
    this.table.fill(0);
    this.head = -1;
    this.tail = -1;
    this.used = 0;
    this.freeTop = 0;
  }

  /* ---------------- recency list ---------------- */

  private pushFront(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head >= 0) this.prev[this.head] = slot;
    this.head = slot;
    if (this.tail < 0) this.tail = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot];
    const n = this.next[slot];
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
  }

  private touch(slot: number): void {
    if (this.head === slot) return;
    this.unlink(slot);
    this.pushFront(slot);
  }

  /* ---------------- hash table ---------------- */

  private hash(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }

  /** Table position holding `key`, or -1. */
  private find(key: number): number {
    const t = this.table;
    let i = this.hash(key);
    for (;;) {
      const e = t[i];
      if (e === 0) return -1;
      if (this.slotKey[e - 1] === key) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Remove the entry at table position `pos` (slot `slot`) from the table and the list. */
  private removeAt(pos: number, slot: number): void {
    this.unlink(slot);
    this.freeSlots[this.freeTop++] = slot;
    this.used--;
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    const t = this.table;
    const mask = this.mask;
    let hole = pos;
    let j = pos;
    t[hole] = 0;
    for (;;) {
      j = (j + 1) & mask;
      const e = t[j];
      if (e === 0) return;
      const home = this.hash(this.slotKey[e - 1]);
      // Move e into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        t[hole] = e;
        t[j] = 0;
        hole = j;
      }
    }
  }
}

/**
 * Zipf over ranks 1..n with exponent s ≥ 0, by rejection-inversion (Hörmann and Derflinger,
 * "Rejection-inversion to generate variates from monotone discrete distributions", 1996): O(1)
 * expected per draw and no table, so key spaces of millions cost nothing. s = 0 is uniform.
 * Returns the key, rank − 1. Uses detmath so every platform draws the same keys.
 */
export class ZipfSampler {
  private readonly hX1: number;
  private readonly hN: number;
  private readonly sConst: number;

  constructor(
    private readonly n: number,
    private readonly s: number
  ) {
    this.hX1 = this.hIntegral(1.5) - 1;
    this.hN = this.hIntegral(n + 0.5);
    this.sConst = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  sample(rng: Rng): number {
    const n = this.n;
    if (this.s === 0) return Math.floor(rng.next() * n);
    for (;;) {
      const u = this.hN + rng.next() * (this.hX1 - this.hN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.sConst || u >= this.hIntegral(k + 0.5) - this.h(k)) return k - 1;
    }
  }

  /** H(x) = ∫₁ˣ t^−s dt, written to stay accurate as s → 1. */
  private hIntegral(x: number): number {
    const lx = log(x);
    return helper2((1 - this.s) * lx) * lx;
  }

  private h(x: number): number {
    return exp(-this.s * log(x));
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s);
    if (t < -1) t = -1;
    return exp(helper1(t) * x);
  }
}

/** log(1 + x)/x, accurate near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** (e^x − 1)/x, accurate near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}
