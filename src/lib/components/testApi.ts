/**
 * The typed test API the page exposes on `window.__sandbox` (ARCHITECTURE.md, principle 6):
 * what Playwright needs to check numbers exactly rather than by reading formatted text.
 * Keep it small and stable; the e2e tests are its only intended users.
 */
import type { ModelIssue } from '../model/types.ts';
import type { SimSummary } from '../sim/results.ts';
import type { EditorTestApi } from './editorTestApi.ts';

export type { EditorTestApi };

export interface SandboxRunOptions {
  /** Workers to use (never changes the numbers); default: the pool size. */
  workers?: number;
  /** Replications; default: the model's `run.replications`. */
  replications?: number;
  /**
   * A reduced run: simulate only this many seconds (warm-up scaled alike, at least 50
   * time-series buckets), for long scenarios in tests. The run is kept with the shortened model.
   */
  until?: number;
}

/** A measured sweep point, as the test API reports it (base units). */
export interface SandboxSweepPoint {
  /** One value per swept parameter. */
  values: number[];
  mean: number;
  ci: [number, number];
  /** The analytic value of the metric at this point, where the analysis has one. */
  theory: number | null;
}

export interface SandboxTestApi {
  /** The summary of the last finished run, or null. */
  readonly lastSummary: SimSummary | null;
  /** The points of the last sweep measured so far (null entries: not measured), or null. */
  readonly lastSweep: { status: string; points: (SandboxSweepPoint | null)[] } | null;
  /** Load a model document (parsed JSON) as the current model, as the file input does. */
  load(json: unknown): { ok: true } | { ok: false; issues: ModelIssue[] };
  /** Run the current model as the Run button does; resolves with the summary. */
  run(opts?: SandboxRunOptions): Promise<SimSummary>;
  /** Resolve once every edit so far is written to IndexedDB (or failed). */
  flush(): Promise<void>;
  /** Change the run history's size limit (tests of the pruning offer). */
  setRunLimits(limits: { maxRuns?: number; maxBytes?: number }): void;
  /** Ask the service worker to look for a new version now. */
  checkForUpdate(): Promise<void>;
  /** The canvas editor (src/lib/components/editorTestApi.ts). */
  editor?: EditorTestApi;
}
