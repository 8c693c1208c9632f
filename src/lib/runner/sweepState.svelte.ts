/**
 * The rune adapter for parameter sweeps (principle 11): runs a SweepPlan on its own SimRunner
 * (workers made lazily, like RunState's) and exposes its status, progress and the points
 * measured so far for the Sweep panel. Points arrive as they finish, so the chart grows while
 * the sweep runs; `cancel()` stops it at any moment and keeps the points already measured.
 *
 * Run scope (principle 2): sweep results are never written into the document.
 */
import type { MetricResult } from '../sim/sweep.ts';
import { SimRunner, isCancelled, type RunProgress } from './SimRunner.ts';
import { sweepMetric, type SweepPlan } from './sweepPlan.ts';

export type SweepStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/** One measured point, small enough to keep in state (the summaries are not kept). */
export interface SweepResultPoint {
  /** One value per axis (base units). */
  values: number[];
  /** The target metric at this point, with its interval and per-replication values. */
  metric: MetricResult;
  /** Events simulated for this point, all replications. */
  events: number;
}

export class SweepState {
  status = $state<SweepStatus>('idle');
  progress = $state.raw<RunProgress | null>(null);
  plan = $state.raw<SweepPlan | null>(null);
  /** By point index; null until measured. */
  points = $state.raw<(SweepResultPoint | null)[]>([]);
  error = $state<string | null>(null);

  #runner: SimRunner | null = null;
  #generation = 0;
  #latest: RunProgress | null = null;
  #frameRequested = false;

  get running(): boolean {
    return this.status === 'running';
  }

  /** Run the plan; resolves with the points (null entries where cancelled before measured). */
  async run(plan: SweepPlan, opts: { workers?: number } = {}): Promise<(SweepResultPoint | null)[]> {
    this.#runner ??= new SimRunner();
    const generation = ++this.#generation;
    const def = sweepMetric(plan.target.metric);
    this.plan = plan;
    this.points = plan.points.map(() => null);
    this.status = 'running';
    this.error = null;
    this.progress = null;
    try {
      await this.#runner.sweep(
        plan.points.map((p) => p.model),
        {
          replications: plan.replications,
          workers: opts.workers,
          metrics: { target: def.make(plan.target.node) },
          onProgress: (p) => {
            if (generation === this.#generation) this.#schedule(p);
          },
          onPoint: (r) => {
            if (generation !== this.#generation) return;
            const next = [...this.points];
            next[r.point] = { values: plan.points[r.point].values, metric: r.metrics.target, events: r.summary.events };
            this.points = next;
          }
        }
      );
      if (generation !== this.#generation) return this.points;
      this.progress = this.#latest ?? this.progress;
      this.status = 'done';
    } catch (e) {
      if (generation !== this.#generation) return this.points;
      if (isCancelled(e)) this.status = 'cancelled';
      else {
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
      }
    }
    return this.points;
  }

  cancel(): void {
    this.#runner?.cancel();
  }

  /** Forget the sweep (the model changed). */
  reset(): void {
    this.#generation++;
    this.#runner?.cancel();
    this.status = 'idle';
    this.plan = null;
    this.points = [];
    this.progress = null;
    this.error = null;
  }

  dispose(): void {
    this.reset();
    this.#runner?.dispose();
    this.#runner = null;
  }

  /** Progress into state at most once per animation frame (the workers report more often). */
  #schedule(p: RunProgress): void {
    this.#latest = p;
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    const raf = globalThis.requestAnimationFrame ?? ((cb: () => void) => setTimeout(cb, 16));
    raf(() => {
      this.#frameRequested = false;
      if (this.#latest && this.status === 'running') this.progress = this.#latest;
    });
  }
}
