/**
 * The page's document state and its persistence: the rune adapter over src/lib/persist
 * (ARCHITECTURE.md, principle 11). It owns which model is open, saves it as it changes
 * (autosave), keeps tabs in step, opens links and files, and lists the saved models.
 *
 * State scopes (principle 2): `current` is the document; which model this tab has open is
 * session state (sessionStorage, per tab, never in a link); run results live in RunState and
 * RunHistory, never here.
 *
 * Safety rules, in order of importance:
 *  - Only a model that passed `load()` (so `restore()`) ever becomes `current`. A broken link, a
 *    bad file or a damaged record produces a message and leaves `current` and its record alone.
 *  - Writes go through one Autosaver per opened model, so a pending write of model A can never
 *    land on model B after a switch, and through `saveModel`'s compare-and-swap, so no tab
 *    overwrites another's save.
 *  - Every storage failure is shown (`storageError`), never swallowed.
 */
import { asset } from '$app/paths';
import { decodeFile, makeEnvelope, readFragment, shareFragment } from '../codec/index.ts';
import { load, type ModelDocument, type ModelIssue } from '../model/index.ts';
import { IncrementalLoader } from '../model/incremental.ts';
import { loadUrl, type LoadedModel } from '../components/modelSource.ts';
import { GALLERY_FILE } from '../components/gallery.ts';
import {
  Autosaver,
  decideOnSaved,
  describeStorageError,
  modelHash,
  openPersist,
  SESSION_KEY,
  TabSync,
  newId,
  type Damaged,
  type ModelListing,
  type PersistDb,
  type SaveStatus,
  type SyncMessage
} from '../persist/index.ts';

/** The saved record behind the open model: null id = not saved yet (an example, say). */
interface Target {
  id: string | null;
  rev: number;
  origin: string;
}

interface Opened {
  target: Target;
  saver: Autosaver<ModelDocument>;
}

export interface Failure {
  title: string;
  issues: ModelIssue[];
}

export interface UndoOffer {
  text: string;
  undo: () => Promise<void>;
}

/** What the tab had open, kept in sessionStorage across reloads of this tab. */
type SessionOpen = { kind: 'model'; id: string } | { kind: 'example'; file: string };

export const DEFAULT_EXAMPLE = 'mm1.json';

export class Workspace {
  /** The open model; replaced only by one that passed load(). */
  current = $state.raw<LoadedModel | null>(null);
  /** Its record id, or null while it is not saved. */
  recordId = $state<string | null>(null);
  saveStatus = $state<SaveStatus | 'unsaved'>('unsaved');
  /** The example file the open model is, or '' (for the example picker). */
  example = $state('');
  /** A storage failure in words, shown until the next successful write. */
  storageError = $state<string | null>(null);
  /** A link that could not be opened: shown as an error; nothing else changes. */
  linkFailure = $state.raw<Failure | null>(null);
  /** A file, record or example that could not be opened. */
  openFailure = $state.raw<Failure | null>(null);
  /** Something the user should know that is not an error (a conflict copy, a link opened). */
  notice = $state<string | null>(null);
  models = $state.raw<ModelListing[]>([]);
  damagedModels = $state.raw<Damaged[]>([]);
  undo = $state.raw<UndoOffer | null>(null);
  ready = $state(false);

  readonly tabId = newId();
  db: PersistDb | null = null;
  #open: Opened | null = null;
  #sync: TabSync | null = null;
  #onSwitch: () => void;
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #listeners: Array<() => void> = [];
  /** Edits are loaded incrementally (only what changed); see src/lib/model/incremental.ts. */
  readonly #loader = new IncrementalLoader();
  /** The full load() behind the last incremental edit, waiting for idle time. */
  #verify: { doc: ModelDocument; handle: unknown } | null = null;
  /** Run-history subscribers to other tabs' run changes. */
  onRunsChanged: (() => void) | null = null;

  constructor(opts: { onSwitch?: () => void } = {}) {
    this.#onSwitch = opts.onSwitch ?? (() => undefined);
  }

  get dirty(): boolean {
    return this.#open?.saver.dirty ?? false;
  }

  /* ------------------------------------------------------------------ start */

  async start(): Promise<void> {
    const opened = await openPersist({
      onBlocked: () => (this.storageError = describeStorageError({ name: 'BlockedError' }, 'open the saved models')),
      beforeClose: () => this.flush(),
      onClosed: (why) => {
        this.db = null;
        this.storageError =
          why === 'upgrade'
            ? 'A newer version of Systems Sandbox was opened in another tab and upgraded the saved data. Reload this tab to keep saving; what you see here was saved.'
            : describeStorageError(new DOMException('closed', 'InvalidStateError'), 'keep saving');
      }
    });
    if (opened.ok) {
      this.db = opened.value;
      // A blocked upgrade that went through: its warning no longer applies.
      this.storageError = null;
      // Ask the browser not to evict our data under storage pressure (granted silently or not).
      void navigator.storage?.persist?.().catch(() => undefined);
    } else {
      this.storageError = `${opened.issues[0].message} Your work will not be kept after this tab is closed.`;
    }
    this.#sync = new TabSync(this.tabId, (m) => void this.#hear(m));
    const flush = () => void this.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    // A link pasted into the address bar of an open tab changes only the fragment.
    const onHash = () => void this.#openFragment();
    addEventListener('pagehide', flush);
    addEventListener('hashchange', onHash);
    document.addEventListener('visibilitychange', onVisibility);
    this.#listeners.push(
      () => removeEventListener('pagehide', flush),
      () => removeEventListener('hashchange', onHash),
      () => document.removeEventListener('visibilitychange', onVisibility)
    );

    await this.refreshModels();
    const linked = await this.#openFragment();
    if (!linked) await this.#openInitial();
    this.ready = true;
  }

  dispose(): void {
    void this.flush();
    for (const off of this.#listeners) off();
    this.#listeners = [];
    this.#sync?.close();
    clearTimeout(this.#undoTimer);
  }

  /** Write whatever is pending now (page hide, before an update reload). */
  flush(): Promise<void> {
    return this.#open?.saver.flush() ?? Promise.resolve();
  }

  /** A link in the URL (#m=…): open it as a saved model, or show why it cannot be opened. */
  async #openFragment(): Promise<boolean> {
    const r = readFragment(location.hash);
    if (r === null) return false;
    if (!r.ok) {
      // The user's own work stays as it was: the error is shown, nothing is replaced or written.
      this.linkFailure = { title: 'This link could not be opened. Nothing was changed: your models are as they were.', issues: r.issues };
      return false;
    }
    const doc = r.value.model;
    const loaded = load(doc);
    if (!loaded.ok) {
      this.linkFailure = { title: 'This link could not be opened.', issues: loaded.issues };
      return false;
    }
    // Opening the same link twice opens the model it made the first time, not a copy.
    const same = this.db ? await this.db.findByHash(modelHash(doc)) : null;
    if (same?.ok && same.value) {
      await this.openRecord(same.value.id);
    } else {
      this.#adopt({ doc, model: loaded.value.model, source: 'shared link' }, { id: null, rev: 0, origin: 'shared link' }, '');
      this.#open?.saver.change(doc);
      this.notice = 'Opened the shared link; the model is saved in your models.';
    }
    // The model is in the store now; the link's job is done (a reload opens the saved copy).
    history.replaceState(history.state, '', location.pathname + location.search);
    return true;
  }

  async #openInitial(): Promise<void> {
    let session: SessionOpen | null = null;
    try {
      session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as SessionOpen | null;
    } catch {
      session = null;
    }
    if (session?.kind === 'model' && typeof session.id === 'string' && this.db) {
      if (await this.openRecord(session.id)) return;
    }
    if (session?.kind === 'example' && typeof session.file === 'string' && GALLERY_FILE.test(session.file)) {
      if (await this.openExample(session.file)) return;
    }
    // A fresh tab (or a browser that was killed): the model saved last.
    const latest = this.db ? await this.db.latestModelId() : null;
    if (latest?.ok && latest.value && (await this.openRecord(latest.value))) {
      this.openFailure = null;
      return;
    }
    await this.openExample(DEFAULT_EXAMPLE);
  }

  /* ------------------------------------------------------------ switching */

  #adopt(loaded: LoadedModel, target: Target, example: string): void {
    // Let the previous model's pending write finish on its own saver: it carries its target.
    void this.#open?.saver.flush();
    const saver = new Autosaver<ModelDocument>({
      write: (doc) => this.#write(target, doc),
      onStatus: (s) => {
        if (this.#open?.target === target) this.saveStatus = s;
      },
      onError: (e) => {
        this.storageError = e instanceof Error ? e.message : String(e);
      }
    });
    this.#open = { target, saver };
    this.#loader.reset();
    this.current = loaded;
    this.recordId = target.id;
    this.example = example;
    this.saveStatus = target.id ? 'saved' : 'unsaved';
    this.openFailure = null;
    this.#remember();
    this.#onSwitch();
  }

  #remember(): void {
    const t = this.#open?.target;
    const s: SessionOpen | null = t?.id ? { kind: 'model', id: t.id } : this.example ? { kind: 'example', file: this.example } : null;
    try {
      if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    } catch {
      /* storage disabled: a reload then opens the last saved model */
    }
  }

  async openExample(file: string): Promise<boolean> {
    const r = await loadUrl(asset(`/models/${file}`), file);
    if (!r.ok) {
      this.openFailure = { title: `Could not open ${file}; the current model is unchanged.`, issues: r.issues };
      return false;
    }
    this.#adopt(r.value, { id: null, rev: 0, origin: file }, file);
    return true;
  }

  async openRecord(id: string): Promise<boolean> {
    if (!this.db) return false;
    if (this.#open?.target.id === id) return true;
    const r = await this.db.getModel(id);
    if (!r.ok) {
      const name = this.models.find((m) => m.id === id)?.name;
      this.openFailure = { title: `Could not open the saved model${name ? ` "${name}"` : ''}; the current model is unchanged.`, issues: r.issues };
      return false;
    }
    const loaded = load(r.value.doc);
    if (!loaded.ok) {
      this.openFailure = { title: 'Could not open the saved model; the current model is unchanged.', issues: loaded.issues };
      return false;
    }
    this.#adopt({ doc: loaded.value.doc, model: loaded.value.model, source: r.value.origin || 'saved model' }, { id, rev: r.value.rev, origin: r.value.origin }, '');
    return true;
  }

  /** Open a model file (picked or dropped): it becomes a saved model at once. */
  async importFile(file: File): Promise<boolean> {
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      this.openFailure = { title: `Could not open ${file.name}; the current model is unchanged.`, issues: [{ path: '', message: `the file could not be read: ${e instanceof Error ? e.message : String(e)}` }] };
      return false;
    }
    const r = decodeFile(text, file.name);
    if (!r.ok) {
      this.openFailure = { title: `Could not open ${file.name}; the current model is unchanged.`, issues: r.issues };
      return false;
    }
    return this.importDoc(r.value, file.name);
  }

  /** Adopt a document as a new saved model (file, test API, a run's snapshot). */
  importDoc(doc: unknown, origin: string): boolean {
    const loaded = load(doc);
    if (!loaded.ok) {
      this.openFailure = { title: `Could not open ${origin}; the current model is unchanged.`, issues: loaded.issues };
      return false;
    }
    this.#adopt({ doc: loaded.value.doc, model: loaded.value.model, source: origin }, { id: null, rev: 0, origin }, '');
    this.#open?.saver.change(loaded.value.doc);
    return true;
  }

  /* --------------------------------------------------------------- editing */

  /**
   * Replace the open document by an edited one. Refused (with the issues, nothing changed)
   * unless it passes load(). An example becomes a saved model on its first edit.
   */
  edit(doc: ModelDocument): { ok: true } | { ok: false; issues: ModelIssue[] } {
    const cur = this.current;
    const open = this.#open;
    if (!cur || !open) return { ok: false, issues: [{ path: '', message: 'no model is open' }] };
    // Only the nodes and edges that changed are validated and normalised (a few ms on 1,000
    // nodes instead of a whole load()), with the same answer and the same located issues.
    const loaded = this.#loader.load(doc);
    if (!loaded.ok) return loaded;
    this.current = { doc: loaded.value.doc, model: loaded.value.model, source: cur.source };
    if (this.example) {
      this.example = '';
    }
    open.saver.change(loaded.value.doc);
    if (this.#loader.lastPath === 'incremental') this.#verifyWhenIdle(loaded.value.doc);
    return { ok: true };
  }

  /**
   * The safety net behind incremental loads: a whole load() of the latest edited document when
   * the page is idle (one, however many edits came before). It should always agree; if not,
   * the full answer wins: its model replaces the quick one, or its issues are shown.
   */
  #verifyWhenIdle(doc: ModelDocument): void {
    const idle = globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 300));
    const cancel = globalThis.cancelIdleCallback ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
    if (this.#verify) cancel(this.#verify.handle as number);
    const job = { doc, handle: null as unknown };
    job.handle = idle(() => {
      if (this.#verify !== job) return;
      this.#verify = null;
      const cur = this.current;
      if (!cur || cur.doc !== doc) return;
      const full = load(doc);
      if (!full.ok) {
        this.openFailure = { title: 'This model has a problem the quick check of the last edit missed; fix it before running.', issues: full.issues };
      } else if (JSON.stringify(full.value.model) !== JSON.stringify(cur.model)) {
        this.current = { doc: full.value.doc, model: full.value.model, source: cur.source };
      }
    }, { timeout: 2000 });
    this.#verify = job;
  }

  /** Save an unsaved model (an example) without editing it. */
  saveNow(): void {
    if (this.current && this.#open && !this.#open.target.id) {
      this.example = '';
      this.#open.saver.change(this.current.doc);
    }
  }

  async #write(t: Target, doc: ModelDocument): Promise<void> {
    const db = this.db;
    if (!db) throw new Error(this.storageError ?? describeStorageError({ name: 'UnavailableError' }, 'save the model'));
    const isOpen = () => this.#open?.target === t;
    if (t.id === null) {
      const r = await db.createModel(doc, t.origin);
      if (!r.ok) throw new Error(r.issues[0].message);
      t.id = r.value.id;
      t.rev = r.value.rev;
      if (isOpen()) {
        this.recordId = t.id;
        this.#remember();
      }
      this.#sync?.post({ type: 'models-changed' });
    } else {
      const r = await db.saveModel(t.id, doc, t.rev);
      if (!r.ok) throw new Error(r.issues[0].message);
      const out = r.value;
      if (out.outcome === 'saved') {
        t.rev = out.rev;
        this.#sync?.post({ type: 'model-saved', id: t.id, rev: t.rev });
        // The list changes by one entry: update it here rather than reading every record
        // back twice a second while the user types.
        const rest = this.models.filter((m) => m.id !== out.listing.id);
        this.models = [out.listing, ...rest];
        if (this.storageError && !this.storageError.startsWith('A newer version')) this.storageError = null;
        return;
      } else if (out.outcome === 'conflict') {
        t.id = out.copy.id;
        t.rev = out.copy.rev;
        t.origin = out.copy.origin;
        if (isOpen()) {
          this.recordId = t.id;
          this.#remember();
          // The name is left as the user typed it (they may be typing in it); the copy is
          // marked by its origin in the list.
          const cur = this.current;
          if (cur) this.current = { ...cur, source: out.copy.origin };
        }
        this.notice = `This model was changed in another tab while you edited it here. Nothing was overwritten: the other tab's version stays, and yours is kept as a second model marked "${out.copy.origin}" in Your models.`;
        this.#sync?.post({ type: 'models-changed' });
      } else {
        // Deleted in another tab while open here: keep the user's work as a new model.
        t.id = null;
        t.rev = 0;
        await this.#write(t, doc);
        this.notice = 'This model was deleted in another tab; your version here was saved again as a new model.';
        return;
      }
    }
    if (this.storageError && !this.storageError.startsWith('A newer version')) this.storageError = null;
    await this.refreshModels();
  }

  /* -------------------------------------------------------------- tab sync */

  async #hear(m: SyncMessage): Promise<void> {
    switch (m.type) {
      case 'models-changed':
        await this.refreshModels();
        return;
      case 'runs-changed':
        this.onRunsChanged?.();
        return;
      case 'model-deleted': {
        await this.refreshModels();
        const open = this.#open;
        if (open?.target.id === m.id) {
          // Keep showing it; the next edit saves it as a new model.
          open.target.id = null;
          open.target.rev = 0;
          this.recordId = null;
          this.saveStatus = 'unsaved';
          this.notice = 'The model open here was deleted in another tab. It stays open; edit it or press Save to keep it.';
        }
        return;
      }
      case 'model-saved': {
        const open = this.#open;
        if (!open) return;
        const t = open.target;
        const action = decideOnSaved({ id: t.id, rev: t.rev, dirty: open.saver.dirty }, m);
        if (action === 'write-now') void open.saver.flush();
        else if (action === 'reload' && this.db) {
          const r = await this.db.getModel(m.id);
          // Still the same model, still no edits of ours, and newer than what we have?
          if (!r.ok || this.#open !== open || open.saver.dirty || r.value.rev <= t.rev) return;
          const loaded = load(r.value.doc);
          if (!loaded.ok) return;
          t.rev = r.value.rev;
          const cur = this.current;
          this.current = { doc: loaded.value.doc, model: loaded.value.model, source: cur?.source ?? r.value.origin };
        }
        await this.refreshModels();
        return;
      }
    }
  }

  /* ---------------------------------------------------------- the library */

  async refreshModels(): Promise<void> {
    if (!this.db) return;
    const r = await this.db.listModels();
    if (!r.ok) {
      this.storageError = r.issues[0].message;
      return;
    }
    this.models = r.value.models;
    this.damagedModels = r.value.damaged;
  }

  async rename(id: string, name: string): Promise<boolean> {
    if (!this.db) return false;
    const open = this.#open;
    if (open?.target.id === id) await open.saver.flush();
    const r = await this.db.renameModel(id, name);
    if (!r.ok) {
      this.openFailure = { title: 'Could not rename the model.', issues: r.issues };
      return false;
    }
    if (open && open.target.id === id && this.#open === open) {
      open.target.rev = r.value.rev;
      const loaded = load(r.value.doc);
      if (loaded.ok && !open.saver.dirty) this.current = { ...this.current!, doc: loaded.value.doc, model: loaded.value.model };
    }
    this.#sync?.post({ type: 'model-saved', id, rev: r.value.rev });
    await this.refreshModels();
    return true;
  }

  async duplicate(id: string): Promise<boolean> {
    if (!this.db) return false;
    if (this.#open?.target.id === id) await this.#open.saver.flush();
    const source = this.models.find((m) => m.id === id);
    const r = await this.db.duplicateModel(id, `${source?.name || 'Untitled model'} (copy)`);
    if (!r.ok) {
      this.openFailure = { title: 'Could not duplicate the model.', issues: r.issues };
      return false;
    }
    this.#sync?.post({ type: 'models-changed' });
    await this.refreshModels();
    return true;
  }

  /** Delete a saved model (or a damaged record), with an undo offer. */
  async remove(key: string): Promise<boolean> {
    if (!this.db) return false;
    const listing = this.models.find((m) => m.id === key);
    const wasOpen = this.#open?.target.id === key;
    if (wasOpen) {
      await this.#open!.saver.flush();
      this.#open!.saver.cancel();
    }
    const r = await this.db.deleteModel(key);
    if (!r.ok) {
      this.storageError = r.issues[0].message;
      return false;
    }
    this.#sync?.post({ type: 'model-deleted', id: key });
    await this.refreshModels();
    if (wasOpen) {
      const next = this.models[0];
      if (!(next && (await this.openRecord(next.id)))) await this.openExample(DEFAULT_EXAMPLE);
    }
    const record = r.value;
    this.offerUndo(`Deleted "${listing?.name || 'Untitled model'}".`, async () => {
      if (!this.db) return;
      const back = await this.db.putBack({ models: [record] });
      if (!back.ok) {
        this.storageError = back.issues[0].message;
        return;
      }
      this.#sync?.post({ type: 'models-changed' });
      await this.refreshModels();
      if (wasOpen) await this.openRecord(key);
    });
    return true;
  }

  offerUndo(text: string, undo: () => Promise<void>): void {
    clearTimeout(this.#undoTimer);
    this.undo = { text, undo };
    this.#undoTimer = setTimeout(() => {
      if (this.undo?.undo === undo) this.undo = null;
    }, 20_000);
  }

  async runUndo(): Promise<void> {
    const u = this.undo;
    this.undo = null;
    clearTimeout(this.#undoTimer);
    await u?.undo();
  }

  /* ----------------------------------------------------- sharing and files */

  /** The share link of the open model: this page's address with the model in the fragment. */
  shareUrl(): string | null {
    const cur = this.current;
    if (!cur) return null;
    return `${location.origin}${location.pathname}${shareFragment(makeEnvelope(cur.doc))}`;
  }

  /** Post a run-history change to the other tabs. */
  postRunsChanged(): void {
    this.#sync?.post({ type: 'runs-changed' });
  }
}
