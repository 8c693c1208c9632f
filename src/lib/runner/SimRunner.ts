/**
 * SimRunner: runs a model's replications on a pool of simulation workers and merges them.
 *
 * - The pool holds up to max(1, hardwareConcurrency − 1) module workers (one core is left for
 *   the page). Workers are created lazily and reused between runs.
 * - Replication i always runs with index i (its own substream), and results are merged in index
 *   order, so the number of workers never changes the numbers (ARCHITECTURE.md, principle 8).
 * - Progress comes from the workers' live frames: replications done, each running
 *   replication's simulated time, and events per second of wall time over the whole pool.
 * - `cancel()` asks the workers to stop (they reject with a CancelledError within one slice);
 *   a worker still busy with a cancelled job when the next run starts is terminated and
 *   replaced, so a new run never waits behind an old one.
 *
 * No Svelte here (principle 11): the rune adapter is `runState.svelte.ts`.
 */
import * as Comlink from 'comlink';
import { summarize } from '../sim/index.ts';
import { measure, type Metric, type MetricResult } from '../sim/sweep.ts';
import type { NormalizedModel } from '../model/types.ts';
import type { LiveFrame, SimSummary } from '../sim/results.ts';
import { responseDistributions, type ResponseDistribution } from './distributions.ts';
import { seriesBands, type SeriesBands } from './seriesBands.ts';
import { CancelledError, isCancelled } from '../../../workers/protocol.ts';
import type { ReplicationResult, SimService, StepOptions } from '../../../workers/simService.ts';

export { CancelledError, isCancelled };
export type { ReplicationResult, StepOptions };

/** What a worker must offer: a Comlink endpoint that can be terminated. `Worker` is one. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export interface RunningReplication {
  replication: number;
  /** In a sweep: the point (index into the sweep's models) this replication belongs to. */
  point?: number;
  /** Simulated time reached, seconds. */
  now: number;
  until: number;
  events: number;
}

/** A snapshot of a run in progress; a new object each time (safe for `$state.raw`). */
export interface RunProgress {
  /** Replications in this run. */
  total: number;
  /** Replications finished. */
  done: number;
  /** The replications running now, by index. */
  running: RunningReplication[];
  /** Events processed so far, all replications. */
  events: number;
  /** Events per second of wall time while running (pauses left out), all workers together. */
  eventsPerSecond: number;
  /** Overall fraction done in [0, 1] (by simulated time). */
  fraction: number;
  /** Wall time since the run started, ms, time spent paused left out. */
  elapsedMs: number;
  /** True while the run is paused (`SimRunner.pause`); its replications wait in the workers. */
  paused?: boolean;
  /** Workers used. */
  workers: number;
  /** In a sweep of several points: how many, and how many are finished. */
  points?: number;
  pointsDone?: number;
}

export interface RunOptions {
  /** Replications to run; default `model.run.replications`. */
  replications?: number;
  /**
   * Workers to use; default the pool size (`maxWorkers`). An explicit count may exceed it (the
   * tests use this to show that the worker count never changes the numbers).
   */
  workers?: number;
  onProgress?: (p: RunProgress) => void;
  /**
   * Every live frame of every replication as it arrives (at most one per worker per 50 ms), for
   * the canvas' run overlay. Not throttled here: the receiver keeps only what it draws.
   */
  onFrame?: (f: LiveFrame) => void;
}

/** A run with what the charts need beside the summary. */
export interface DetailedRun {
  summary: SimSummary;
  /** Per node id, the response distribution after warm-up (see distributions.ts). */
  distributions: Record<string, ResponseDistribution>;
  /** The time series averaged over the replications, with intervals (seriesBands.ts); null for one replication. */
  bands: SeriesBands | null;
}

export interface SweepRunOptions {
  /** Replications per point (the same indices, so the same substreams, at every point); default the first model's. */
  replications?: number;
  workers?: number;
  /** Read from every replication of every point, on this thread (functions do not cross to workers). */
  metrics: Record<string, Metric>;
  /** Confidence of the metrics' intervals; default each model's `run.confidence`. */
  confidence?: number;
  onProgress?: (p: RunProgress) => void;
  /** Each point as soon as its replications are in (points finish in order, give or take the last few). */
  onPoint?: (p: SweepPointResult) => void;
}

export interface SweepPointResult {
  /** Index into the models given to `sweep`. */
  point: number;
  summary: SimSummary;
  metrics: Record<string, MetricResult>;
}

/** One replication of one model: the unit of work a worker runs. */
interface Job {
  model: NormalizedModel;
  replication: number;
  point: number;
}

export interface SimRunnerOptions {
  /** Pool size limit; default max(1, navigator.hardwareConcurrency − 1). */
  maxWorkers?: number;
  /** Worker factory (tests inject in-process endpoints); default: the module worker. */
  createWorker?: () => WorkerLike;
}

interface Slot {
  worker: WorkerLike;
  service: Comlink.Remote<SimService>;
  /** The job in flight on this worker, if any (possibly of a cancelled run). */
  busy: Promise<unknown> | null;
  /** Set when the worker reported an error (failed to load, crashed). */
  broken: Error | null;
  onBroken: ((e: Error) => void) | null;
}

interface ActiveRun {
  cancelled: boolean;
  reject: (e: unknown) => void;
  slots: Slot[];
  /** Wall time (performance.now) the run was paused at, or null while it runs. */
  pausedAt: number | null;
  /** Wall time spent paused before `pausedAt`, ms. */
  pausedMs: number;
  /** Whether it was ever paused (its workers are told to resume when it ends). */
  everPaused: boolean;
  /** Report progress now (after a pause, resume or step). */
  emit: () => void;
}

export function defaultWorkerCount(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, cores - 1);
}

/**
 * A simulation worker (workers/sim.worker.ts: runs, sweeps and experiments). The one place that
 * names the entry: Vite bundles it as its own module chunk from this exact pattern, keep it literal.
 */
export function createSimWorker(name = 'sim'): WorkerLike {
  return new Worker(new URL('../../../workers/sim.worker.ts', import.meta.url), { type: 'module', name });
}

export class SimRunner {
  readonly maxWorkers: number;
  readonly #createWorker: () => WorkerLike;
  #slots: Slot[] = [];
  #active: ActiveRun | null = null;

  constructor(opts: SimRunnerOptions = {}) {
    this.maxWorkers = Math.max(1, Math.floor(opts.maxWorkers ?? defaultWorkerCount()));
    this.#createWorker = opts.createWorker ?? (() => createSimWorker());
  }

  /** True while a run is in progress. */
  get running(): boolean {
    return this.#active !== null;
  }

  /** True while the run in progress is paused. */
  get paused(): boolean {
    return this.#active?.pausedAt != null;
  }

  /**
   * Pause the run in progress: every worker holds its replication (its whole state stays in the
   * worker) after the slice it is in, and sends a frame of where it stopped. Resuming gives the
   * same numbers as a run never paused. No-op without a run or when already paused.
   */
  pause(): void {
    const run = this.#active;
    if (!run || run.pausedAt !== null) return;
    run.pausedAt = performance.now();
    run.everPaused = true;
    for (const slot of run.slots) slot.service.pause().catch(() => undefined);
    run.emit();
  }

  /** Resume a paused run. */
  resume(): void {
    const run = this.#active;
    if (!run || run.pausedAt === null) return;
    run.pausedMs += performance.now() - run.pausedAt;
    run.pausedAt = null;
    for (const slot of run.slots) slot.service.resume().catch(() => undefined);
    run.emit();
  }

  /**
   * While paused: advance each running replication by `opts` (default 1% of its simulated time)
   * and stay paused; resolves once every worker has stepped and its frame has arrived. Does
   * nothing unless paused.
   */
  async step(opts: StepOptions = {}): Promise<void> {
    const run = this.#active;
    if (!run || run.pausedAt === null) return;
    await Promise.all(run.slots.map((slot) => slot.service.step(opts).catch(() => undefined)));
    run.emit();
  }

  /**
   * Run the model's replications and merge them. Starting a run cancels the one in progress.
   * Rejects with a CancelledError (see `isCancelled`) when cancelled, or with the worker's
   * error when a replication fails.
   */
  run(model: NormalizedModel, opts: RunOptions = {}): Promise<SimSummary> {
    return this.runDetailed(model, opts).then((r) => r.summary);
  }

  /**
   * `run`, plus each node's response distribution (for the latency charts), read from the
   * replications before they are dropped. The summary is exactly `run`'s.
   */
  runDetailed(model: NormalizedModel, opts: RunOptions = {}): Promise<DetailedRun> {
    const total = Math.max(1, Math.floor(opts.replications ?? model.run.replications));
    const jobs: Job[] = Array.from({ length: total }, (_, i) => ({ model, replication: i, point: 0 }));
    const results: ReplicationResult[] = new Array(total);
    return this.#runJobs(jobs, opts.workers, opts.onProgress, {
      onFrame: opts.onFrame,
      onResult: (job, result) => {
        results[job.replication] = result;
      },
      finish: (p) => {
        const summary = summarize(model, results, { eventsPerSecond: p.eventsPerSecond });
        const clients = model.nodes.filter((n) => n.kind === 'client').map((n) => n.id);
        return {
          summary,
          distributions: responseDistributions(results, summary.warmup),
          bands: seriesBands(results, model.run.confidence, clients)
        };
      }
    });
  }

  /**
   * A parameter sweep on the pool: every point's replications 0…R−1 (the same seed and the same
   * substreams at every point: common random numbers), handed to whichever worker is free,
   * point after point. When a point's R replications are in, it is summarised and measured
   * (`measure` from src/lib/sim/sweep.ts: the metrics per replication with their intervals),
   * reported through `onPoint`, and its raw replications are dropped. Resolves with every
   * point in order. Like `run`, it cancels what is in progress, and `cancel()` stops it.
   */
  sweep(models: readonly NormalizedModel[], opts: SweepRunOptions): Promise<SweepPointResult[]> {
    if (models.length === 0) return Promise.resolve([]);
    const R = Math.max(1, Math.floor(opts.replications ?? models[0].run.replications));
    const jobs: Job[] = [];
    models.forEach((model, point) => {
      for (let i = 0; i < R; i++) jobs.push({ model, replication: i, point });
    });
    const pending: ReplicationResult[][] = models.map(() => new Array<ReplicationResult>(R));
    const left = models.map(() => R);
    const points: SweepPointResult[] = new Array(models.length);
    return this.#runJobs(jobs, opts.workers, opts.onProgress, {
      onResult: (job, result) => {
        pending[job.point][job.replication] = result;
        if (--left[job.point] > 0) return;
        const model = models[job.point];
        const { summary, metrics } = measure(model, pending[job.point], opts.metrics, opts.confidence ?? model.run.confidence);
        pending[job.point] = []; // the raw replications are no longer needed
        points[job.point] = { point: job.point, summary, metrics };
        opts.onPoint?.(points[job.point]);
      },
      finish: () => points
    });
  }

  /**
   * Hand `jobs` to `want` workers in order, each to whichever is free; `onResult` gets each
   * result as it arrives (it may throw: the run then fails with that error), `finish` makes
   * the value once all are in. Progress counts jobs; the fraction is by simulated time.
   */
  #runJobs<T>(
    jobs: Job[],
    workers: number | undefined,
    onProgress: ((p: RunProgress) => void) | undefined,
    handlers: { onResult: (job: Job, result: ReplicationResult) => void; finish: (p: RunProgress) => T; onFrame?: (f: LiveFrame) => void }
  ): Promise<T> {
    this.cancel();
    const total = jobs.length;
    const want = Math.min(total, Math.max(1, Math.floor(workers ?? this.maxWorkers)));
    const slots = this.#takeSlots(want);
    const points = jobs.length > 0 ? jobs[jobs.length - 1].point + 1 : 0;
    const t0 = performance.now();

    const running = new Map<number, RunningReplication & { job: number }>();
    let next = 0;
    let done = 0;
    let finishedEvents = 0;
    const pointLeft = new Array<number>(points).fill(0);
    for (const j of jobs) pointLeft[j.point]++;
    let pointsDone = 0;

    return new Promise<T>((resolve, reject) => {
      const run: ActiveRun = { cancelled: false, reject, slots, pausedAt: null, pausedMs: 0, everPaused: false, emit: () => undefined };
      this.#active = run;
      const stale = () => run.cancelled || this.#active !== run;

      const fail = (e: unknown) => {
        if (stale()) return;
        run.reject = () => reject(e); // the run fails with this error, not a cancellation
        this.cancel(); // stops the other workers
      };

      const progress = (): RunProgress => {
        const wall = performance.now();
        const elapsedMs = wall - t0 - run.pausedMs - (run.pausedAt !== null ? wall - run.pausedAt : 0);
        let events = finishedEvents;
        let simulated = done;
        const list = [...running.values()].sort((a, b) => a.job - b.job);
        for (const r of list) {
          events += r.events;
          simulated += r.until > 0 ? Math.min(r.now, r.until) / r.until : 0;
        }
        return {
          total,
          done,
          running: list.map(({ job: _job, ...r }) => r),
          events,
          eventsPerSecond: elapsedMs > 0 ? (events * 1000) / elapsedMs : 0,
          fraction: Math.min(1, simulated / total),
          elapsedMs,
          workers: slots.length,
          ...(run.pausedAt !== null ? { paused: true } : {}),
          ...(points > 1 ? { points, pointsDone } : {})
        };
      };
      const emit = () => {
        if (!stale()) onProgress?.(progress());
      };
      run.emit = emit;

      const startNext = (slot: Slot) => {
        if (stale() || next >= total) return;
        const k = next++;
        const job = jobs[k];
        const until = job.model.run.until;
        const entry: RunningReplication & { job: number } = {
          job: k,
          replication: job.replication,
          now: 0,
          until,
          events: 0,
          ...(points > 1 ? { point: job.point } : {})
        };
        running.set(k, entry);
        const onFrame = Comlink.proxy((f: LiveFrame) => {
          if (stale()) return;
          entry.now = f.now;
          entry.events = f.events;
          handlers.onFrame?.(f);
          emit();
        });
        const call = slot.service.runReplication(job.model, job.replication, onFrame).then(
          (result) => {
            if (slot.busy === call) slot.busy = null;
            if (stale()) return;
            running.delete(k);
            finishedEvents += entry.events;
            done++;
            if (--pointLeft[job.point] === 0) pointsDone++;
            try {
              handlers.onResult(job, result as ReplicationResult);
            } catch (e) {
              return fail(e);
            }
            if (done === total) {
              const p = progress();
              this.#active = null;
              this.#unpause(run);
              try {
                resolve(handlers.finish(p));
              } catch (e) {
                reject(e);
              }
              onProgress?.(p);
              return;
            }
            emit();
            startNext(slot);
          },
          (e: unknown) => {
            if (slot.busy === call) slot.busy = null;
            fail(e);
          }
        );
        slot.busy = call;
      };

      for (const slot of slots) {
        if (slot.broken) return fail(slot.broken);
        slot.onBroken = fail;
      }
      emit();
      for (const slot of slots) startNext(slot);
    });
  }

  /** Cancel the run in progress, if any: its promise rejects with a CancelledError. */
  cancel(): void {
    const run = this.#active;
    if (!run) return;
    this.#active = null;
    run.cancelled = true;
    for (const slot of run.slots) {
      slot.onBroken = null;
      if (slot.busy) slot.service.cancel().catch(() => undefined);
    }
    this.#unpause(run);
    run.reject(new CancelledError());
  }

  /**
   * A run that was paused has ended (the last step finished it, or it was cancelled): the
   * services' pause is service-wide, so idle workers are told to resume, or the next run would
   * start paused. Messages on a port arrive in order, so this lands before the next job.
   */
  #unpause(run: ActiveRun): void {
    if (!run.everPaused) return;
    run.pausedAt = null;
    for (const slot of run.slots) slot.service.resume().catch(() => undefined);
  }

  /** Cancel and terminate every worker. The runner may still be used: it makes new ones. */
  dispose(): void {
    this.cancel();
    for (const slot of this.#slots) this.#terminate(slot);
    this.#slots = [];
  }

  /** `want` idle, healthy slots: replaces busy or broken ones, grows the pool as needed. */
  #takeSlots(want: number): Slot[] {
    this.#slots = this.#slots.map((slot) => {
      if (!slot.busy && !slot.broken) return slot;
      this.#terminate(slot);
      return this.#makeSlot();
    });
    while (this.#slots.length < want) this.#slots.push(this.#makeSlot());
    return this.#slots.slice(0, want);
  }

  #makeSlot(): Slot {
    const worker = this.#createWorker();
    const slot: Slot = {
      worker,
      service: Comlink.wrap<SimService>(worker),
      busy: null,
      broken: null,
      onBroken: null
    };
    const onError = (ev: Event) => {
      const detail =
        (ev as ErrorEvent).message || (ev.type === 'messageerror' ? 'a message could not be read' : '');
      slot.broken = new Error(`The simulation worker failed${detail ? `: ${detail}` : ''}.`);
      slot.onBroken?.(slot.broken);
    };
    worker.addEventListener('error', onError as EventListener);
    worker.addEventListener('messageerror', onError as EventListener);
    return slot;
  }

  #terminate(slot: Slot): void {
    slot.onBroken = null;
    slot.worker.terminate();
  }
}
