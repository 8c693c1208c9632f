/**
 * A log-bucketed histogram of durations with at most 1/128 (< 1%) relative error on quantiles,
 * exact count, sum, min and max, mergeable across replications and transferable from a Worker.
 *
 * Buckets: each octave [2^e, 2^(e+1)) for e in −34..29 is split into 64 equal sub-buckets, so a
 * bucket spans a relative width of at most 1/64 and its midpoint is within 1/128 of any value in
 * it. The index comes straight from the float64 bits: the 11 exponent bits and the top 6
 * mantissa bits are bits 30..14 of the high word, so `(hi >>> 14) − offset` is the bucket, with
 * no Math.log on the hot path. 2^-34 s ≈ 58 ps and 2^30 s ≈ 34 years bracket every duration the
 * engine can produce; anything outside lands in the tiny / overflow buckets (still counted, and
 * reported as min / max).
 *
 * Slot order in `counts` is the value order, so a quantile is one cumulative walk:
 *   0: negative values (should not happen for durations; kept so nothing is lost)
 *   1: exact zeros (waits are often exactly 0)
 *   2: (0, 2^-34), including subnormals
 *   3 .. 4098: the 4096 log buckets
 *   4099: ≥ 2^30, including +Infinity
 * NaN is ignored (not counted).
 *
 * FROZEN: the layout is part of the transfer format (`toData`/`toJSON`); `LAYOUT` names it.
 */

/*
 * The layout's numbers. A const enum, so that the TypeScript compiler (esbuild) writes them as
 * literals: a module-level const costs V8 a context load and a hole check at every use, which
 * weighs on `record`, inlined ~10 times per request on the engine's path.
 */
const enum L {
  SUB_BITS = 6,
  SUBS = 1 << SUB_BITS, // 64 sub-buckets per octave
  MIN_EXP = -34,
  MAX_EXP = 30, // exclusive
  LOG_BUCKETS = (MAX_EXP - MIN_EXP) * SUBS, // 4096
  NEG = 0,
  ZERO = 1,
  TINY = 2,
  FIRST_LOG = 3,
  LAST_LOG = FIRST_LOG + LOG_BUCKETS - 1, // 4098
  OVERFLOW = LAST_LOG + 1, // 4099
  SLOTS = OVERFLOW + 1, // 4100
  /** (biased exponent of 2^MIN_EXP) << 6, moved so that 2^MIN_EXP lands on FIRST_LOG. */
  OFFSET = ((1023 + MIN_EXP) << SUB_BITS) - FIRST_LOG,
  /** Index of a double's high 32-bit word in a Uint32Array view (little-endian, checked below). */
  HI = 1
}

/** Identifies the bucket layout in serialised form. */
export const LAYOUT = 'log2x64:-34..30';

/*
 * Scratch view for reading a double's bits. Module-level but stateless between calls: each
 * `record` writes then reads it synchronously, so it cannot carry information across runs.
 */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1; // 0x3FF00000_00000000: the exponent must be in word L.HI
if (U32[L.HI] !== 0x3ff00000) throw new Error('histogram: a little-endian platform is required');

/** The plain, structured-cloneable form (typed arrays survive postMessage and can be transferred). */
export interface LogHistogramData {
  layout: string;
  counts: Float64Array;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** The JSON form: sparse [slot, count] pairs; ±Infinity min/max written as null. */
export interface LogHistogramJSON {
  layout: string;
  bins: number[];
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

export class LogHistogram {
  /** Counts per slot (see the file comment). Float64 so counts stay exact beyond 2^32. */
  readonly counts = new Float64Array(L.SLOTS);
  count = 0;
  /**
   * A fraction here, 0 from the constructor on: V8 lays a field out for the first value stored
   * in it, and a small integer's layout would change at the first fractional sum. Histograms
   * made after that change would then differ in layout from the first ones, and the engine's
   * optimised code, specialised to the first layout, would be thrown away and rebuilt during
   * the next replication.
   */
  sum = 0.5;
  /** Exact while only `record`/`merge` are used; a bound after `subtract` (see there). */
  min = Infinity;
  max = -Infinity;

  constructor() {
    this.sum = 0;
  }

  record(v: number): void {
    const counts = this.counts;
    if (v > 0) {
      F64[0] = v;
      let i = (U32[L.HI] >>> 14) - L.OFFSET;
      if (i < L.FIRST_LOG) i = L.TINY;
      else if (i > L.LAST_LOG) i = L.OVERFLOW;
      counts[i]++;
    } else if (v === 0) {
      counts[L.ZERO]++;
    } else if (v < 0) {
      counts[L.NEG]++;
    } else {
      return; // NaN
    }
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /**
   * record(v) here and in `other`, finding the slot once: a node's response histogram and its
   * per-bucket one see every response twice.
   */
  recordBoth(other: LogHistogram, v: number): void {
    if (!(v > 0)) {
      this.record(v);
      other.record(v);
      return;
    }
    F64[0] = v;
    let i = (U32[L.HI] >>> 14) - L.OFFSET;
    if (i < L.FIRST_LOG) i = L.TINY;
    else if (i > L.LAST_LOG) i = L.OVERFLOW;
    this.counts[i]++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    other.counts[i]++;
    other.count++;
    other.sum += v;
    if (v < other.min) other.min = v;
    if (v > other.max) other.max = v;
  }

  /** record(0), for callers that know the value (a request that did not wait). */
  recordZero(): void {
    this.counts[L.ZERO]++;
    this.count++;
    this.sum += 0;
    // Stored every time (the same values as record(0)): a store made only on a histogram's
    // first zero is seen by the optimiser only once, and would throw its code away the first
    // time a new histogram's first zero arrives in optimised code (the next replication).
    this.min = 0 < this.min ? 0 : this.min;
    this.max = 0 > this.max ? 0 : this.max;
  }

  /** sum / count; NaN when empty. */
  get mean(): number {
    return this.count > 0 ? this.sum / this.count : NaN;
  }

  /**
   * The q-quantile (nearest rank: the first slot whose cumulative count reaches q·count),
   * reported at the bucket's midpoint, so within 1/128 relative of the exact order statistic;
   * exactly 0 when it falls among the zeros; clamped to [min, max]; q ≤ 0 and q ≥ 1 give min
   * and max. NaN when empty.
   */
  quantile(q: number): number {
    if (this.count === 0 || q !== q) return NaN;
    // The extreme ranks are the recorded extremes themselves.
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const target = q * this.count;
    const counts = this.counts;
    let cum = 0;
    let slot = L.OVERFLOW;
    // Every slot below min's is empty (min is a lower bound of the values), so the walk may
    // start there: the same answer without scanning thousands of empty slots (the engine asks
    // for a p99 per time-series bucket). A non-finite min may have come through JSON as null.
    for (let i = firstSlot(this.min); i < L.SLOTS; i++) {
      cum += counts[i];
      if (cum > 0 && cum >= target) {
        slot = i;
        break;
      }
    }
    if (slot === L.ZERO) return 0;
    let v: number;
    if (slot === L.NEG) v = this.min;
    else if (slot === L.OVERFLOW) v = this.max;
    else if (slot === L.TINY) v = 2 ** (L.MIN_EXP - 1);
    else v = (lowerEdge(slot) + upperEdge(slot)) / 2;
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }

  /** Add another histogram's observations (same as having recorded them here). */
  /** Empty the histogram (reused per time-series bucket, so no allocation per bucket). */
  reset(): void {
    if (this.count === 0) return;
    // Only slots within [min, max] can be non-zero.
    this.counts.fill(0, firstSlot(this.min), lastSlot(this.max) + 1);
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  merge(other: LogHistogram): void {
    const a = this.counts;
    const b = other.counts;
    for (let i = 0; i < L.SLOTS; i++) a[i] += b[i];
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  clone(): LogHistogram {
    const h = new LogHistogram();
    h.counts.set(this.counts);
    h.count = this.count;
    h.sum = this.sum;
    h.min = this.min;
    h.max = this.max;
    return h;
  }

  /**
   * Remove the observations of `snapshot`, an earlier clone of this histogram (the engine
   * clones at the warm-up checkpoint and subtracts at the end). Counts and count are exact;
   * sum is exact up to floating-point cancellation. min and max become APPROXIMATE: the
   * snapshot's extremes are gone, so they are narrowed to the edges of the lowest and highest
   * non-empty buckets, intersected with the old [min, max]. They remain valid bounds (every
   * remaining value lies within them) and are within one bucket (< 1/64 relative) of the truth.
   * Throws if `snapshot` holds observations this histogram does not (not a prefix: a bug).
   */
  subtract(snapshot: LogHistogram): void {
    const a = this.counts;
    const b = snapshot.counts;
    let lo = -1;
    let hi = -1;
    for (let i = 0; i < L.SLOTS; i++) {
      const c = a[i] - b[i];
      if (c < 0) throw new RangeError('LogHistogram.subtract: snapshot is not a prefix of this histogram');
      a[i] = c;
      if (c > 0) {
        if (lo < 0) lo = i;
        hi = i;
      }
    }
    this.count -= snapshot.count;
    this.sum -= snapshot.sum;
    if (lo < 0) {
      this.count = 0;
      this.sum = 0;
      this.min = Infinity;
      this.max = -Infinity;
      return;
    }
    this.min = Math.max(this.min, lowerEdge(lo));
    this.max = Math.min(this.max, upperEdge(hi));
  }

  /** A copy as plain data for postMessage (the `counts` array may be transferred). */
  toData(): LogHistogramData {
    return {
      layout: LAYOUT,
      counts: this.counts.slice(),
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max
    };
  }

  static fromData(d: LogHistogramData): LogHistogram {
    checkLayout(d.layout, d.counts.length);
    const h = new LogHistogram();
    h.counts.set(d.counts);
    h.count = d.count;
    h.sum = d.sum;
    h.min = d.min;
    h.max = d.max;
    return h;
  }

  /** A compact JSON form (only non-empty slots). */
  toJSON(): LogHistogramJSON {
    const bins: number[] = [];
    const c = this.counts;
    for (let i = 0; i < L.SLOTS; i++) if (c[i] !== 0) bins.push(i, c[i]);
    return {
      layout: LAYOUT,
      bins,
      count: this.count,
      sum: this.sum,
      min: Number.isFinite(this.min) ? this.min : null,
      max: Number.isFinite(this.max) ? this.max : null
    };
  }

  static fromJSON(j: LogHistogramJSON): LogHistogram {
    checkLayout(j.layout, L.SLOTS);
    const h = new LogHistogram();
    for (let k = 0; k + 1 < j.bins.length; k += 2) {
      const slot = j.bins[k];
      if (!(Number.isInteger(slot) && slot >= 0 && slot < L.SLOTS))
        throw new RangeError(`LogHistogram.fromJSON: bad slot ${slot}`);
      h.counts[slot] = j.bins[k + 1];
    }
    h.count = j.count;
    h.sum = j.sum;
    h.min = j.min ?? Infinity;
    h.max = j.max ?? -Infinity;
    return h;
  }

  /** The slot `v` would be recorded in (exposed for tests and tools). */
  static slotOf(v: number): number {
    if (v > 0) {
      F64[0] = v;
      const i = (U32[L.HI] >>> 14) - L.OFFSET;
      return i < L.FIRST_LOG ? L.TINY : i > L.LAST_LOG ? L.OVERFLOW : i;
    }
    return v === 0 ? L.ZERO : v < 0 ? L.NEG : -1;
  }

  /** Number of slots in `counts`. */
  static readonly SLOTS = L.SLOTS;
}

function checkLayout(layout: string, length: number): void {
  if (layout !== LAYOUT || length !== L.SLOTS)
    throw new RangeError(`LogHistogram: unknown layout ${layout} with ${length} slots`);
}

/** The slot of a lower bound of the values: below it every slot is empty (0 if unknown). */
function firstSlot(min: number): number {
  return Number.isFinite(min) ? LogHistogram.slotOf(min) : 0;
}

/** The slot of an upper bound of the values: above it every slot is empty. */
function lastSlot(max: number): number {
  return Number.isFinite(max) ? LogHistogram.slotOf(max) : L.OVERFLOW;
}

/** Smallest value of a slot (values at the boundary belong to the upper slot). */
function lowerEdge(slot: number): number {
  if (slot === L.NEG) return -Infinity;
  if (slot === L.ZERO) return 0;
  if (slot === L.TINY) return 0;
  if (slot === L.OVERFLOW) return 2 ** L.MAX_EXP;
  const j = slot - L.FIRST_LOG;
  return 2 ** ((j >> L.SUB_BITS) + L.MIN_EXP) * (1 + (j & (L.SUBS - 1)) / L.SUBS);
}

/** Supremum of a slot's values. */
function upperEdge(slot: number): number {
  if (slot === L.NEG) return 0;
  if (slot === L.ZERO) return 0;
  if (slot === L.TINY) return 2 ** L.MIN_EXP;
  if (slot === L.OVERFLOW) return Infinity;
  const j = slot - L.FIRST_LOG;
  return 2 ** ((j >> L.SUB_BITS) + L.MIN_EXP) * (1 + ((j & (L.SUBS - 1)) + 1) / L.SUBS);
}
