/**
 * ExperimentRunner: the simulated experiments of src/lib/experiments (trigger sweep, hysteresis
 * ramp) spread over a pool of simulation workers.
 *
 * src/lib/experiments stays pure: it plans (`planTriggerSweep`, `planHysteresis`), runs one job
 * (`runTriggerReplication`, `runHysteresisReplication`) and merges (`mergeTriggerPoint`,
 * `sweepResult`, `mergeHysteresis`). This class only hands the jobs to whichever worker is free
 * and merges in index order, so the result is the sequential driver's (`triggerSweep`,
 * `hysteresis`) whatever the number of workers: replication i of every point draws from
 * substream i of the model's seed (common random numbers) wherever it runs.
 *
 * - Browser: the same module worker as SimRunner (workers/sim.worker.ts exposes the simulation
 *   and the experiment services side by side), up to max(1, hardwareConcurrency − 1) of them,
 *   made lazily and reused between experiments.
 * - Node (the CLI's `--workers N`): `createWorker` makes worker_threads behind a Comlink endpoint
 *   (src/cli/nodeWorker.ts).
 *
 * A job is one synchronous computation in its worker, so `cancel()` terminates the workers that
 * are busy (they are replaced on the next experiment) and the promise rejects with a
 * CancelledError at once. No Svelte here (principle 11).
 */
import * as Comlink from 'comlink';
import {
  mergeHysteresis,
  mergeTriggerPoint,
  sweepResult,
  type HysteresisPlan,
  type HysteresisReplication,
  type HysteresisResult,
  type TriggerPlan,
  type TriggerPointResult,
  type TriggerReplication,
  type TriggerSweepResult
} from '../experiments/index.ts';
import { CancelledError, isCancelled } from '../../../workers/protocol.ts';
import type { ExperimentService } from '../../../workers/experimentService.ts';
import { createSimWorker, defaultWorkerCount, type WorkerLike } from './SimRunner.ts';

export { CancelledError, isCancelled };

/** A snapshot of an experiment in progress; a new object each time (safe for `$state.raw`). */
export interface ExperimentProgress {
  /** Jobs (simulations) in the experiment, and how many are finished. */
  total: number;
  done: number;
  /** done / total. */
  fraction: number;
  /** Trigger sweep: grid points, and how many have all their replications in. */
  points?: number;
  pointsDone?: number;
  /** Events simulated so far, all workers. */
  events: number;
  elapsedMs: number;
  workers: number;
}

export interface ExperimentRunOptions {
  /** Workers to use; default the pool size. An explicit count may exceed it (tests). */
  workers?: number;
  onProgress?: (p: ExperimentProgress) => void;
}

export interface TriggerRunOptions extends ExperimentRunOptions {
  /** Each point as soon as its replications are in and merged. */
  onPoint?: (p: TriggerPointResult) => void;
}

export interface ExperimentRunnerOptions {
  /** Pool size limit; default max(1, navigator.hardwareConcurrency − 1). */
  maxWorkers?: number;
  /** Worker factory; default the module worker workers/sim.worker.ts. */
  createWorker?: () => WorkerLike;
}

interface Slot {
  worker: WorkerLike;
  service: Comlink.Remote<ExperimentService>;
  busy: boolean;
  broken: Error | null;
  onBroken: ((e: Error) => void) | null;
}

interface Active {
  cancelled: boolean;
  reject: (e: unknown) => void;
  slots: Slot[];
}

export class ExperimentRunner {
  readonly maxWorkers: number;
  readonly #createWorker: () => WorkerLike;
  #slots: Slot[] = [];
  #active: Active | null = null;

  constructor(opts: ExperimentRunnerOptions = {}) {
    this.maxWorkers = Math.max(1, Math.floor(opts.maxWorkers ?? defaultWorkerCount()));
    this.#createWorker = opts.createWorker ?? (() => createSimWorker('experiment'));
  }

  get running(): boolean {
    return this.#active !== null;
  }

  /**
   * Every point × replication of a planned trigger sweep, point after point, on the pool; each
   * point is merged (`mergeTriggerPoint`, replications in index order) as soon as its last
   * replication is in. Resolves with `sweepResult(plan, points)`, equal to `triggerSweep`'s.
   */
  triggerSweep(plan: TriggerPlan, opts: TriggerRunOptions = {}): Promise<TriggerSweepResult> {
    const R = plan.replications;
    const jobs: { point: number; replication: number }[] = [];
    for (const p of plan.points) for (let i = 0; i < R; i++) jobs.push({ point: p.index, replication: i });
    const pending: TriggerReplication[][] = plan.points.map(() => []);
    const merged: TriggerPointResult[] = new Array(plan.points.length);
    let pointsDone = 0;
    return this.#runJobs(
      jobs,
      opts,
      (svc, job) => svc.triggerReplication(plan, job.point, job.replication),
      (job, rep) => {
        const list = pending[job.point];
        list.push(rep);
        if (list.length < R) return;
        const point = mergeTriggerPoint(plan, plan.points[job.point], list);
        pending[job.point] = [];
        merged[job.point] = point;
        pointsDone++;
        opts.onPoint?.(point);
      },
      () => sweepResult(plan, merged),
      () => ({ points: plan.points.length, pointsDone })
    );
  }

  /** The replications of a planned hysteresis ramp (one whole ramp per job), merged with `mergeHysteresis`. */
  hysteresis(plan: HysteresisPlan, opts: ExperimentRunOptions = {}): Promise<HysteresisResult> {
    const jobs = Array.from({ length: plan.replications }, (_, i) => i);
    const reps: HysteresisReplication[] = new Array(plan.replications);
    return this.#runJobs(
      jobs,
      opts,
      (svc, i) => svc.hysteresisReplication(plan, i),
      (i, rep) => {
        reps[i] = rep;
      },
      () => mergeHysteresis(plan, reps)
    );
  }

  /** Cancel the experiment in progress: busy workers are terminated, its promise rejects with a CancelledError. */
  cancel(): void {
    const run = this.#active;
    if (!run) return;
    this.#active = null;
    run.cancelled = true;
    for (const slot of run.slots) {
      slot.onBroken = null;
      if (slot.busy) {
        // The job cannot be interrupted inside its worker: drop the worker.
        slot.worker.terminate();
        this.#slots = this.#slots.filter((s) => s !== slot);
      }
    }
    run.reject(new CancelledError('experiment cancelled'));
  }

  /** Cancel and terminate every worker (the runner makes new ones if used again). */
  dispose(): void {
    this.cancel();
    for (const slot of this.#slots) slot.worker.terminate();
    this.#slots = [];
  }

  #runJobs<J, R extends { events: number }, T>(
    jobs: J[],
    opts: ExperimentRunOptions,
    call: (svc: Comlink.Remote<ExperimentService>, job: J) => Promise<R>,
    onResult: (job: J, result: R) => void,
    finish: () => T,
    extra: () => Partial<ExperimentProgress> = () => ({})
  ): Promise<T> {
    this.cancel();
    const total = jobs.length;
    const want = Math.max(1, Math.min(Math.max(1, total), Math.floor(opts.workers ?? this.maxWorkers)));
    const slots = this.#takeSlots(want);
    const t0 = performance.now();
    let next = 0;
    let done = 0;
    let events = 0;

    return new Promise<T>((resolve, reject) => {
      const run: Active = { cancelled: false, reject, slots };
      this.#active = run;
      const stale = () => run.cancelled || this.#active !== run;
      const progress = (): ExperimentProgress => ({
        total,
        done,
        fraction: total > 0 ? done / total : 1,
        events,
        elapsedMs: performance.now() - t0,
        workers: slots.length,
        ...extra()
      });
      const fail = (e: unknown) => {
        if (stale()) return;
        run.reject = () => reject(e); // fails with this error, not as a cancellation
        this.cancel();
      };
      const complete = () => {
        this.#active = null;
        let value: T;
        try {
          value = finish();
        } catch (e) {
          reject(e);
          return;
        }
        opts.onProgress?.(progress());
        resolve(value);
      };
      const startNext = (slot: Slot) => {
        if (stale() || next >= total) return;
        const job = jobs[next++];
        slot.busy = true;
        call(slot.service, job).then(
          (result) => {
            slot.busy = false;
            if (stale()) return;
            done++;
            events += result.events;
            try {
              onResult(job, result);
            } catch (e) {
              return fail(e);
            }
            if (done === total) return complete();
            opts.onProgress?.(progress());
            startNext(slot);
          },
          (e: unknown) => {
            slot.busy = false;
            fail(e);
          }
        );
      };
      for (const slot of slots) {
        if (slot.broken) return fail(slot.broken);
        slot.onBroken = fail;
      }
      if (total === 0) return complete();
      opts.onProgress?.(progress());
      for (const slot of slots) startNext(slot);
    });
  }

  #takeSlots(want: number): Slot[] {
    this.#slots = this.#slots.filter((slot) => {
      if (!slot.busy && !slot.broken) return true;
      slot.worker.terminate();
      return false;
    });
    while (this.#slots.length < want) this.#slots.push(this.#makeSlot());
    return this.#slots.slice(0, want);
  }

  #makeSlot(): Slot {
    const worker = this.#createWorker();
    const slot: Slot = { worker, service: Comlink.wrap<ExperimentService>(worker), busy: false, broken: null, onBroken: null };
    const onError = (ev: Event) => {
      const detail = (ev as ErrorEvent).message || (ev.type === 'messageerror' ? 'a message could not be read' : '');
      slot.broken = new Error(`The experiment worker failed${detail ? `: ${detail}` : ''}.`);
      slot.onBroken?.(slot.broken);
    };
    worker.addEventListener('error', onError as EventListener);
    worker.addEventListener('messageerror', onError as EventListener);
    return slot;
  }
}
