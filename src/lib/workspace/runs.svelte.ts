/**
 * The run history for the page: every finished run is kept (model snapshot, settings,
 * results, time series), listed, reopened, compared and deleted. A rune adapter over
 * src/lib/persist; the storage and its rules live there.
 *
 * The size limit never deletes on its own: after a run is saved, `prunePlan` says what
 * deleting the oldest runs would free, and only `prune()` (the user's "Delete") does it.
 */
import { load, type ModelDocument, type NormalizedModel } from '../model/index.ts';
import type { SimSummary } from '../sim/results.ts';
import { DEFAULT_RUN_LIMITS, makeRunRecords, newId, planPrune, type Damaged, type PrunePlan, type RunLimits, type RunMeta } from '../persist/index.ts';
import type { Workspace } from './workspace.svelte.ts';

/** A run read back from the history, ready to show. */
export interface OpenedRun {
  meta: RunMeta;
  doc: ModelDocument;
  model: NormalizedModel;
  summary: SimSummary;
}

export class RunHistory {
  runs = $state.raw<RunMeta[]>([]);
  damaged = $state.raw<Damaged[]>([]);
  /** A saved run shown in place of the live results, or null. */
  opened = $state.raw<OpenedRun | null>(null);
  /** Two runs side by side, or null. */
  compared = $state.raw<[OpenedRun, OpenedRun] | null>(null);
  prunePlan = $state.raw<PrunePlan | null>(null);
  /** A failure to read a run, in words. */
  failure = $state.raw<{ title: string; issues: { path: string; message: string }[] } | null>(null);
  limits: RunLimits = { ...DEFAULT_RUN_LIMITS };

  #ws: Workspace;
  #lastSaved: string | null = null;

  constructor(ws: Workspace) {
    this.#ws = ws;
    ws.onRunsChanged = () => void this.refresh();
  }

  async refresh(): Promise<void> {
    const db = this.#ws.db;
    if (!db) return;
    const r = await db.listRuns();
    if (!r.ok) {
      this.#ws.storageError = r.issues[0].message;
      return;
    }
    this.runs = r.value.runs;
    this.damaged = r.value.damaged;
  }

  /** Keep a finished run. A failure (a full disk) is shown; the results on screen stay. */
  async record(doc: ModelDocument, model: NormalizedModel, summary: SimSummary, modelId: string | null): Promise<RunMeta | null> {
    const db = this.#ws.db;
    if (!db) return null;
    const { meta, data } = makeRunRecords({ id: newId(), createdAt: Date.now(), modelId, doc, model, summary });
    const r = await db.addRun(meta, data);
    if (!r.ok) {
      this.#ws.storageError = r.issues[0].message;
      return null;
    }
    this.#lastSaved = meta.id;
    this.#ws.postRunsChanged();
    await this.refresh();
    this.checkLimits();
    return meta;
  }

  /** Work out whether the history is over its limit; the page asks before deleting. */
  checkLimits(): void {
    const keep = new Set(this.#lastSaved ? [this.#lastSaved] : []);
    const plan = planPrune(this.runs, this.limits, keep);
    this.prunePlan = plan.remove.length > 0 ? plan : null;
  }

  /** The user agreed: delete the runs of the plan. */
  async prune(): Promise<void> {
    const plan = this.prunePlan;
    this.prunePlan = null;
    if (!plan || !this.#ws.db) return;
    const r = await this.#ws.db.deleteRuns(plan.remove);
    if (!r.ok) this.#ws.storageError = r.issues[0].message;
    this.#ws.postRunsChanged();
    await this.refresh();
  }

  dismissPrune(): void {
    this.prunePlan = null;
  }

  async #read(id: string): Promise<OpenedRun | null> {
    const db = this.#ws.db;
    if (!db) return null;
    const r = await db.getRun(id);
    if (!r.ok) {
      this.failure = { title: 'Could not open the saved run.', issues: r.issues };
      return null;
    }
    const loaded = load(r.value.doc);
    if (!loaded.ok) {
      this.failure = { title: 'Could not open the saved run.', issues: loaded.issues };
      return null;
    }
    this.failure = null;
    return { meta: r.value.meta, doc: loaded.value.doc, model: loaded.value.model, summary: r.value.summary };
  }

  async reopen(id: string): Promise<boolean> {
    const run = await this.#read(id);
    if (run) {
      this.opened = run;
      this.compared = null;
    }
    return run !== null;
  }

  close(): void {
    this.opened = null;
    this.compared = null;
  }

  async compare(a: string, b: string): Promise<boolean> {
    const [x, y] = await Promise.all([this.#read(a), this.#read(b)]);
    if (!x || !y) return false;
    this.compared = [x, y];
    this.opened = null;
    return true;
  }

  async remove(id: string): Promise<void> {
    const db = this.#ws.db;
    if (!db) return;
    const meta = this.runs.find((r) => r.id === id);
    const r = await db.deleteRuns([id]);
    if (!r.ok) {
      this.#ws.storageError = r.issues[0].message;
      return;
    }
    if (this.opened?.meta.id === id) this.opened = null;
    if (this.compared?.some((c) => c.meta.id === id)) this.compared = null;
    this.#ws.postRunsChanged();
    await this.refresh();
    const back = r.value;
    this.#ws.offerUndo(`Deleted the run of "${meta?.modelName || 'Untitled model'}".`, async () => {
      const d = this.#ws.db;
      if (!d) return;
      const b = await d.putBack({ runs: back.runs, runData: back.runData });
      if (!b.ok) this.#ws.storageError = b.issues[0].message;
      this.#ws.postRunsChanged();
      await this.refresh();
    });
  }
}
