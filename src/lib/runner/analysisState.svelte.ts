/**
 * Rune adapters of the Analysis panel (principle 11): the metastability analysis in the analysis
 * worker, and the simulated experiments (trigger sweep, hysteresis) on an ExperimentRunner.
 * Workers live in private fields, never in `$state`; results are `$state.raw`.
 *
 * The metastability analysis is one synchronous call in its worker, so its progress is by stage
 * (the drift field first, in milliseconds, then the chain, seconds) with the time spent, and
 * cancel terminates the worker (a new one is made for the next analysis).
 *
 * Run scope (principle 2): nothing here is written into the document.
 */
import * as Comlink from 'comlink';
import type { NormalizedModel } from '../model/types.ts';
import type { TimeoutModel } from '../analysis/metastability/index.ts';
import type { AnalysisService, ModelMetastabilityResult } from '../../../workers/analysisService.ts';
import type { HysteresisPlan, HysteresisResult, TriggerPlan, TriggerPointResult, TriggerSweepResult } from '../experiments/index.ts';
import { ExperimentRunner, isCancelled, type ExperimentProgress } from './ExperimentRunner.ts';

export type AnalysisStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

function createAnalysisWorker(): Worker {
  // Vite bundles the entry as its own module chunk from this exact pattern: keep it literal.
  return new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
}

export class MetastabilityState {
  status = $state<AnalysisStatus>('idle');
  /** What is being computed now. */
  stage = $state<'field' | 'chain' | null>(null);
  /** Wall time of the analysis so far, ms (ticks while it runs). */
  elapsedMs = $state(0);
  timeoutModel = $state<TimeoutModel>('erlang');
  /** The drift field and equilibria (no chain) — shown while the chain is solved. */
  fluid = $state.raw<ModelMetastabilityResult | null>(null);
  /** The whole analysis, chain included. */
  result = $state.raw<ModelMetastabilityResult | null>(null);
  error = $state<string | null>(null);

  #worker: Worker | null = null;
  #remote: Comlink.Remote<AnalysisService> | null = null;
  #generation = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  get running(): boolean {
    return this.status === 'running';
  }

  #service(): Comlink.Remote<AnalysisService> {
    if (!this.#remote) {
      this.#worker = createAnalysisWorker();
      this.#remote = Comlink.wrap<AnalysisService>(this.#worker);
    }
    return this.#remote;
  }

  /** Analyse the model's client → queue → server loop with T(q) by `timeoutModel`. */
  async run(model: NormalizedModel, timeoutModel: TimeoutModel = this.timeoutModel): Promise<void> {
    this.cancel();
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation;
    this.timeoutModel = timeoutModel;
    this.status = 'running';
    this.error = null;
    this.result = null;
    this.fluid = null;
    this.elapsedMs = 0;
    const t0 = performance.now();
    this.#timer = setInterval(() => {
      if (!stale()) this.elapsedMs = performance.now() - t0;
    }, 100);
    try {
      const svc = this.#service();
      this.stage = 'field';
      const fluid = await svc.metastabilityOfModel(model, { timeoutModel, chain: false });
      if (stale()) return;
      this.fluid = fluid;
      if (!fluid.ok || !fluid.report.ok) {
        this.result = fluid;
        this.status = 'done';
        return;
      }
      this.stage = 'chain';
      const full = await svc.metastabilityOfModel(model, { timeoutModel });
      if (stale()) return;
      this.result = full;
      this.status = 'done';
    } catch (e) {
      if (stale()) return;
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (!stale()) {
        this.stage = null;
        this.elapsedMs = performance.now() - t0;
        this.#stopTimer();
      }
    }
  }

  /** Stop the analysis in progress: its worker is terminated (the next run makes a new one). */
  cancel(): void {
    this.#stopTimer();
    if (this.status !== 'running') return;
    this.#generation++;
    this.#dropWorker();
    this.status = 'cancelled';
    this.stage = null;
  }

  /** Forget the results (another model was opened). */
  reset(): void {
    this.cancel();
    this.#generation++;
    this.status = 'idle';
    this.result = null;
    this.fluid = null;
    this.error = null;
  }

  dispose(): void {
    this.reset();
    this.#dropWorker();
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #dropWorker(): void {
    this.#remote?.[Comlink.releaseProxy]();
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
  }
}

/** A trigger sweep or a hysteresis ramp on the experiment workers, with progress and cancel. */
export class ExperimentState {
  triggerStatus = $state<AnalysisStatus>('idle');
  triggerProgress = $state.raw<ExperimentProgress | null>(null);
  triggerPlan = $state.raw<TriggerPlan | null>(null);
  /** Points merged so far, by index (null: not yet). */
  triggerPoints = $state.raw<(TriggerPointResult | null)[]>([]);
  triggerResult = $state.raw<TriggerSweepResult | null>(null);
  hysteresisStatus = $state<AnalysisStatus>('idle');
  hysteresisProgress = $state.raw<ExperimentProgress | null>(null);
  hysteresisResult = $state.raw<HysteresisResult | null>(null);
  error = $state<string | null>(null);

  /** One runner (one pool of workers) for both experiments: starting one cancels the other. */
  #runner: ExperimentRunner | null = null;
  #generation = 0;

  get maxWorkers(): number {
    return (this.#runner ??= new ExperimentRunner()).maxWorkers;
  }

  get running(): boolean {
    return this.triggerStatus === 'running' || this.hysteresisStatus === 'running';
  }

  async runTriggers(plan: TriggerPlan, opts: { workers?: number } = {}): Promise<TriggerSweepResult | null> {
    this.#runner ??= new ExperimentRunner();
    this.#stopOthers();
    const generation = ++this.#generation;
    this.triggerPlan = plan;
    this.triggerPoints = plan.points.map(() => null);
    this.triggerResult = null;
    this.triggerProgress = null;
    this.triggerStatus = 'running';
    this.error = null;
    try {
      const r = await this.#runner.triggerSweep(plan, {
        workers: opts.workers,
        onProgress: (p) => {
          if (generation === this.#generation) this.triggerProgress = p;
        },
        onPoint: (p) => {
          if (generation !== this.#generation) return;
          const next = [...this.triggerPoints];
          next[p.index] = p;
          this.triggerPoints = next;
        }
      });
      if (generation !== this.#generation) return null;
      this.triggerResult = r;
      this.triggerStatus = 'done';
      return r;
    } catch (e) {
      if (generation === this.#generation) this.#failed(e, 'trigger');
      return null;
    }
  }

  async runHysteresis(plan: HysteresisPlan, opts: { workers?: number } = {}): Promise<HysteresisResult | null> {
    this.#runner ??= new ExperimentRunner();
    this.#stopOthers();
    const generation = ++this.#generation;
    this.hysteresisResult = null;
    this.hysteresisProgress = null;
    this.hysteresisStatus = 'running';
    this.error = null;
    try {
      const r = await this.#runner.hysteresis(plan, {
        workers: opts.workers,
        onProgress: (p) => {
          if (generation === this.#generation) this.hysteresisProgress = p;
        }
      });
      if (generation !== this.#generation) return null;
      this.hysteresisResult = r;
      this.hysteresisStatus = 'done';
      return r;
    } catch (e) {
      if (generation === this.#generation) this.#failed(e, 'hysteresis');
      return null;
    }
  }

  /** Stop whichever experiment runs (the points merged so far are kept). */
  cancel(): void {
    this.#generation++;
    this.#runner?.cancel();
    if (this.triggerStatus === 'running') this.triggerStatus = 'cancelled';
    if (this.hysteresisStatus === 'running') this.hysteresisStatus = 'cancelled';
  }

  reset(): void {
    this.cancel();
    this.triggerStatus = 'idle';
    this.hysteresisStatus = 'idle';
    this.triggerPlan = null;
    this.triggerPoints = [];
    this.triggerResult = null;
    this.triggerProgress = null;
    this.hysteresisResult = null;
    this.hysteresisProgress = null;
    this.error = null;
  }

  dispose(): void {
    this.reset();
    this.#runner?.dispose();
    this.#runner = null;
  }

  #stopOthers(): void {
    if (this.running) this.cancel();
  }

  #failed(e: unknown, which: 'trigger' | 'hysteresis'): void {
    const status: AnalysisStatus = isCancelled(e) ? 'cancelled' : 'error';
    if (which === 'trigger') this.triggerStatus = status;
    else this.hysteresisStatus = status;
    if (status === 'error') this.error = e instanceof Error ? e.message : String(e);
  }
}
