/**
 * Per-node accumulators of one replication: counts, time-weighted areas, histograms of time in
 * node and waiting time, and time-series buckets. Behaviours update them on the hot path, so
 * every update is a few arithmetic operations on fields (no allocation).
 *
 * Warm-up deletion works by snapshots: the engine snapshots every node at candidate warm-up
 * times and, at the end, reports "final − snapshot" for the chosen one.
 */
import { LogHistogram } from './histogram';

/** Why a request was dropped. Index into `drops`. Names are public (CLI JSON). */
export const DROP_REASONS = ['full', 'rejected', 'busy', 'loss', 'unrouted', 'timeout', 'cancelled', 'breaker'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export const DROP_FULL = 0;
export const DROP_REJECTED = 1;
export const DROP_BUSY = 2;
export const DROP_LOSS = 3;
export const DROP_UNROUTED = 4;
/** Client: a logical request whose last attempt timed out (or was lost silently). */
export const DROP_TIMEOUT = 5;
/** A server discarded an attempt its client had cancelled on timeout (`cancelOnTimeout`). */
export const DROP_CANCELLED = 6;
/** Client: a request refused at once because the client's circuit breaker was open. */
export const DROP_BREAKER = 7;

/** Occupancy is tracked for 0..OCCUPANCY_MAX−1 requests; the last slot counts "that many or more". */
export const OCCUPANCY_MAX = 64;

export interface StatsSnapshot {
  occupancy: Float64Array;
  arrivals: number;
  departures: number;
  drops: number[];
  area: number;
  busyArea: number;
  response: LogHistogram;
  wait: LogHistogram;
  station: LogHistogram | null;
  byClass: LogHistogram[] | null;
  extras: Float64Array;
}

export class NodeStats {
  arrivals = 0;
  departures = 0;
  readonly drops = new Float64Array(DROP_REASONS.length);
  /** Requests in the node now, and ∫present dt up to `lastT`. */
  present = 0;
  area = 0;
  /** Busy servers now and ∫busy dt (servers only). */
  busy = 0;
  busyArea = 0;
  lastT = 0;
  /** Time spent with n requests present, n = 0..OCCUPANCY_MAX (last: n ≥ OCCUPANCY_MAX). */
  readonly occupancy = new Float64Array(OCCUPANCY_MAX + 1);

  readonly response = new LogHistogram();
  readonly wait = new LogHistogram();
  /** Servers: time in the station (queue in front + service). */
  station: LogHistogram | null = null;
  /** Sinks: end-to-end time per global class. */
  byClass: LogHistogram[] | null = null;

  /**
   * Kind-specific accumulators (retries, timeouts, CPU time by category...), declared once by the
   * behaviour with `defineExtra` and updated in place: `extras[i] += …`. A 'count' is summed; a
   * 'time' accumulates ∫ x dt and is reported as a time average.
   */
  extras = new Float64Array(0);
  private readonly extraNames: string[] = [];
  private readonly extraKinds: ('count' | 'time')[] = [];
  /** Per extra: its per-bucket increments when declared with a series, else null. */
  private readonly extraSeries: (Float64Array | null)[] = [];
  private extrasAtBucketStart = new Float64Array(0);

  /* Time series, one entry per bucket. */
  readonly seriesArea: Float64Array;
  readonly seriesDepartures: Float64Array;
  readonly seriesDrops: Float64Array;
  seriesP99: Float64Array | null = null;
  /** Sinks: this bucket's end-to-end times, for its p99 (reset at each bucket boundary). */
  private bucketHist: LogHistogram | null = null;
  private areaAtBucketStart = 0;
  /* Series counts come from the running totals at each boundary: nothing per event. */
  private departuresAtBucketStart = 0;
  private dropsAtBucketStart = 0;

  constructor(buckets: number) {
    this.seriesArea = new Float64Array(buckets);
    this.seriesDepartures = new Float64Array(buckets);
    this.seriesDrops = new Float64Array(buckets);
  }

  /**
   * Declare an extra measure; returns its index into `extras`. Call before the run starts. With
   * `series`, its increase over each time-series bucket is kept too (from the running total at
   * each boundary: nothing per event).
   */
  defineExtra(name: string, kind: 'count' | 'time', series = false): number {
    const i = this.extraNames.length;
    this.extraNames.push(name);
    this.extraKinds.push(kind);
    this.extraSeries.push(series ? new Float64Array(this.seriesArea.length) : null);
    const grown = new Float64Array(i + 1);
    grown.set(this.extras);
    this.extras = grown;
    this.extrasAtBucketStart = new Float64Array(i + 1);
    return i;
  }

  /** The index into `extras` of the measure declared as `name`, or −1 (live frames; not for the hot path). */
  extraIndex(name: string): number {
    return this.extraNames.indexOf(name);
  }

  /** The per-bucket increments of the extras declared with a series (copies), by name. */
  extraSeriesData(): Record<string, { kind: 'count' | 'time'; values: Float64Array }> {
    const out: Record<string, { kind: 'count' | 'time'; values: Float64Array }> = {};
    this.extraNames.forEach((name, i) => {
      const s = this.extraSeries[i];
      if (s) out[name] = { kind: this.extraKinds[i], values: s.slice() };
    });
    return out;
  }

  /** The extras accumulated since `base` (or since the start). */
  extrasOver(base: StatsSnapshot | null): Record<string, { kind: 'count' | 'time'; value: number }> {
    const out: Record<string, { kind: 'count' | 'time'; value: number }> = {};
    this.extraNames.forEach((name, i) => {
      out[name] = { kind: this.extraKinds[i], value: this.extras[i] - (base ? base.extras[i] : 0) };
    });
    return out;
  }

  enableStation(): void {
    this.station = new LogHistogram();
  }

  /** Keep a p99 per bucket of the times passed to `recordP99` (sinks; clients: their response). */
  enableP99Series(): void {
    this.seriesP99 = new Float64Array(this.seriesArea.length).fill(NaN);
    this.bucketHist = new LogHistogram();
  }

  enableSinkSeries(classes: number): void {
    this.enableP99Series();
    this.byClass = [];
    for (let i = 0; i < classes; i++) this.byClass.push(new LogHistogram());
  }

  /** Bring the time-weighted areas up to `now` (call before changing present or busy). */
  advance(now: number): void {
    const dt = now - this.lastT;
    if (dt > 0) {
      const p = this.present;
      this.occupancy[p < OCCUPANCY_MAX ? p : OCCUPANCY_MAX] += dt;
      this.area += p * dt;
      this.busyArea += this.busy * dt;
      this.lastT = now;
    }
  }

  recordP99(x: number): void {
    this.bucketHist!.record(x);
  }

  /** `response.record(x)` and `recordP99(x)` in one (the p99 series must be enabled). */
  recordResponse(x: number): void {
    this.response.recordBoth(this.bucketHist!, x);
  }

  /** Close time-series bucket `b` at `now` (the engine calls this at each bucket boundary). */
  closeBucket(b: number, now: number): void {
    this.advance(now);
    let drops = 0;
    for (let k = 0; k < this.drops.length; k++) drops += this.drops[k];
    if (b < this.seriesArea.length) {
      this.seriesArea[b] = this.area - this.areaAtBucketStart;
      this.seriesDepartures[b] = this.departures - this.departuresAtBucketStart;
      this.seriesDrops[b] = drops - this.dropsAtBucketStart;
      if (this.bucketHist && this.seriesP99) {
        this.seriesP99[b] = this.bucketHist.quantile(0.99);
        this.bucketHist.reset();
      }
      for (let i = 0; i < this.extraSeries.length; i++) {
        const s = this.extraSeries[i];
        if (s) s[b] = this.extras[i] - this.extrasAtBucketStart[i];
      }
    }
    this.extrasAtBucketStart.set(this.extras);
    this.areaAtBucketStart = this.area;
    this.departuresAtBucketStart = this.departures;
    this.dropsAtBucketStart = drops;
  }

  snapshot(): StatsSnapshot {
    return {
      occupancy: this.occupancy.slice(),
      arrivals: this.arrivals,
      departures: this.departures,
      drops: Array.from(this.drops),
      area: this.area,
      busyArea: this.busyArea,
      response: this.response.clone(),
      wait: this.wait.clone(),
      station: this.station ? this.station.clone() : null,
      byClass: this.byClass ? this.byClass.map((h) => h.clone()) : null,
      extras: this.extras.slice()
    };
  }
}
