/**
 * The rune adapter over SimRunner (ARCHITECTURE.md, principle 11): run state for the UI.
 *
 * Run scope (principle 2): progress and results belong to the runner, never to the document.
 * The runner and its workers live in a private field, never in `$state`; progress and the
 * summary are `$state.raw` (replaced whole, never proxied). Progress is pulled into state at
 * most once per animation frame, however often the workers report (principle 7).
 */
import type { NormalizedModel } from '../model/types.ts';
import type { SimSummary } from '../sim/results.ts';
import { SimRunner, isCancelled, type RunOptions, type RunProgress, type StepOptions } from './SimRunner.ts';
import type { ResponseDistribution } from './distributions.ts';
import type { SeriesBands } from './seriesBands.ts';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export class RunState {
  status = $state<RunStatus>('idle');
  progress = $state.raw<RunProgress | null>(null);
  summary = $state.raw<SimSummary | null>(null);
  /** The last run's response distributions per node (latency charts), beside `summary`. */
  distributions = $state.raw<Record<string, ResponseDistribution> | null>(null);
  /** The last run's time series averaged over its replications, with intervals (null: one replication). */
  bands = $state.raw<SeriesBands | null>(null);
  error = $state<string | null>(null);
  /** The run in progress is paused (status stays 'running': it holds its state in the workers). */
  paused = $state(false);
  /** A step is being taken (the Step button waits for it). */
  stepping = $state(false);

  #runner: SimRunner | null = null;
  #latest: RunProgress | null = null;
  #frameRequested = false;
  #generation = 0;

  get running(): boolean {
    return this.status === 'running';
  }

  /**
   * Run `model`; resolves with the summary, or null when cancelled or failed (then `status`
   * and `error` say which). A run in progress is cancelled first.
   */
  async run(model: NormalizedModel, opts: Omit<RunOptions, 'onProgress'> = {}): Promise<SimSummary | null> {
    this.#runner ??= new SimRunner();
    const generation = ++this.#generation;
    this.status = 'running';
    this.paused = false;
    this.error = null;
    this.summary = null;
    this.distributions = null;
    this.bands = null;
    this.progress = null;
    this.#latest = null;
    try {
      const { summary, distributions, bands } = await this.#runner.runDetailed(model, {
        ...opts,
        onProgress: (p) => {
          if (generation === this.#generation) this.#schedule(p);
        }
      });
      if (generation !== this.#generation) return null;
      this.#flush();
      this.paused = false;
      this.summary = summary;
      this.distributions = distributions;
      this.bands = bands;
      this.status = 'done';
      return summary;
    } catch (e) {
      if (generation !== this.#generation) return null;
      this.paused = false;
      if (isCancelled(e)) {
        this.status = 'cancelled';
      } else {
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
      }
      return null;
    }
  }

  cancel(): void {
    this.#runner?.cancel();
    this.paused = false;
  }

  /** Pause the run in progress (its replications wait in the workers). */
  pause(): void {
    if (this.status !== 'running' || !this.#runner) return;
    this.#runner.pause();
    this.paused = this.#runner.paused;
  }

  resume(): void {
    this.#runner?.resume();
    this.paused = false;
  }

  /** While paused: advance by `opts` (default 1% of the simulated time) and show it. */
  async step(opts?: StepOptions): Promise<void> {
    if (!this.paused || !this.#runner || this.stepping) return;
    this.stepping = true;
    try {
      await this.#runner.step(opts);
    } finally {
      this.stepping = false;
    }
  }

  /** Forget the results (the model changed). Cancels a run in progress. */
  reset(): void {
    this.#generation++;
    this.#runner?.cancel();
    this.status = 'idle';
    this.paused = false;
    this.error = null;
    this.summary = null;
    this.distributions = null;
    this.bands = null;
    this.progress = null;
    this.#latest = null;
  }

  /** Terminate the workers (the page is going away). */
  dispose(): void {
    this.reset();
    this.#runner?.dispose();
    this.#runner = null;
  }

  #schedule(p: RunProgress): void {
    this.#latest = p;
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    const raf = globalThis.requestAnimationFrame ?? ((cb: () => void) => setTimeout(cb, 16));
    raf(() => {
      this.#frameRequested = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#latest) this.progress = this.#latest;
  }
}
