/**
 * The typed test API the page exposes on `window.__sandbox` (ARCHITECTURE.md, principle 6):
 * what Playwright needs to check numbers exactly rather than by reading formatted text.
 * Keep it small and stable; the e2e tests are its only intended users.
 */
import type { ModelIssue } from '../model/types.ts';
import type { SimSummary } from '../sim/results.ts';

export interface SandboxRunOptions {
  /** Workers to use (never changes the numbers); default: the pool size. */
  workers?: number;
  /** Replications; default: the model's `run.replications`. */
  replications?: number;
}

export interface SandboxTestApi {
  /** The summary of the last finished run, or null. */
  readonly lastSummary: SimSummary | null;
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
}
