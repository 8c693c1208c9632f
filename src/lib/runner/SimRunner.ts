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
import type { NormalizedModel } from '../model/types.ts';
import type { LiveFrame, SimSummary } from '../sim/results.ts';
import { CancelledError, isCancelled } from '../../../workers/protocol.ts';
import type { ReplicationResult, SimService } from '../../../workers/simService.ts';

export { CancelledError, isCancelled };
export type { ReplicationResult };

/** What a worker must offer: a Comlink endpoint that can be terminated. `Worker` is one. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export interface RunningReplication {
  replication: number;
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
  /** Events per second of wall time since the run started, all workers together. */
  eventsPerSecond: number;
  /** Overall fraction done in [0, 1] (by simulated time). */
  fraction: number;
  /** Wall time since the run started, ms. */
  elapsedMs: number;
  /** Workers used. */
  workers: number;
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
}

export function defaultWorkerCount(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, cores - 1);
}

function createModuleWorker(): WorkerLike {
  // Vite bundles the entry as its own module chunk from this exact pattern: keep it literal.
  return new Worker(new URL('../../../workers/sim.worker.ts', import.meta.url), {
    type: 'module',
    name: 'sim'
  });
}

export class SimRunner {
  readonly maxWorkers: number;
  readonly #createWorker: () => WorkerLike;
  #slots: Slot[] = [];
  #active: ActiveRun | null = null;

  constructor(opts: SimRunnerOptions = {}) {
    this.maxWorkers = Math.max(1, Math.floor(opts.maxWorkers ?? defaultWorkerCount()));
    this.#createWorker = opts.createWorker ?? createModuleWorker;
  }

  /** True while a run is in progress. */
  get running(): boolean {
    return this.#active !== null;
  }

  /**
   * Run the model's replications and merge them. Starting a run cancels the one in progress.
   * Rejects with a CancelledError (see `isCancelled`) when cancelled, or with the worker's
   * error when a replication fails.
   */
  run(model: NormalizedModel, opts: RunOptions = {}): Promise<SimSummary> {
    this.cancel();
    const total = Math.max(1, Math.floor(opts.replications ?? model.run.replications));
    const want = Math.min(total, Math.max(1, Math.floor(opts.workers ?? this.maxWorkers)));
    const slots = this.#takeSlots(want);
    const until = model.run.until;
    const t0 = performance.now();

    const results: ReplicationResult[] = new Array(total);
    const running = new Map<number, RunningReplication>();
    let next = 0;
    let done = 0;
    let finishedEvents = 0;

    return new Promise<SimSummary>((resolve, reject) => {
      const run: ActiveRun = { cancelled: false, reject, slots };
      this.#active = run;
      const stale = () => run.cancelled || this.#active !== run;

      const fail = (e: unknown) => {
        if (stale()) return;
        run.reject = () => reject(e); // the run fails with this error, not a cancellation
        this.cancel(); // stops the other workers
      };

      const progress = (): RunProgress => {
        const elapsedMs = performance.now() - t0;
        let events = finishedEvents;
        let simulated = done * until;
        const list = [...running.values()].sort((a, b) => a.replication - b.replication);
        for (const r of list) {
          events += r.events;
          simulated += Math.min(r.now, until);
        }
        return {
          total,
          done,
          running: list,
          events,
          eventsPerSecond: elapsedMs > 0 ? (events * 1000) / elapsedMs : 0,
          fraction: until > 0 ? Math.min(1, simulated / (total * until)) : done / total,
          elapsedMs,
          workers: slots.length
        };
      };
      const emit = () => {
        if (!stale()) opts.onProgress?.(progress());
      };

      const startNext = (slot: Slot) => {
        if (stale() || next >= total) return;
        const i = next++;
        const entry: RunningReplication = { replication: i, now: 0, until, events: 0 };
        running.set(i, entry);
        const onFrame = Comlink.proxy((f: LiveFrame) => {
          if (stale()) return;
          entry.now = f.now;
          entry.events = f.events;
          emit();
        });
        const job = slot.service.runReplication(model, i, onFrame).then(
          (result) => {
            if (slot.busy === job) slot.busy = null;
            if (stale()) return;
            results[i] = result as ReplicationResult;
            running.delete(i);
            finishedEvents += entry.events;
            done++;
            if (done === total) {
              const p = progress();
              this.#active = null;
              try {
                resolve(summarize(model, results, { eventsPerSecond: p.eventsPerSecond }));
              } catch (e) {
                reject(e);
              }
              opts.onProgress?.(p);
              return;
            }
            emit();
            startNext(slot);
          },
          (e: unknown) => {
            if (slot.busy === job) slot.busy = null;
            fail(e);
          }
        );
        slot.busy = job;
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
    run.reject(new CancelledError());
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
