/**
 * The rune adapter over the shell-analysis worker (shellClient.ts) for the shell panel
 * (src/lib/components/shell): the script, the just-in-time environment being edited, and the
 * last report with the exact text it was computed from (the annotated view draws that text, so
 * the positions always match even while the user types).
 *
 * Session scope (ARCHITECTURE.md, principle 2): the script is not part of the model document and
 * is not saved. The client and its worker live in a private field, never in `$state`; the report
 * is `$state.raw` (replaced whole).
 *
 * Typing re-analyses after a short pause (a parse per keystroke would queue up for nothing); an
 * environment change re-runs only the interpretation (the worker keeps the parse).
 */
import type { ShellEnv, ShellReport } from '../shell/types.ts';
import { CATALOGUE_STORAGE_KEY, isEditableKey, loadEdits, saveEdits, type CatalogueEdits } from '../shell/catalogueDraft.ts';
import { ShellClient } from './shellClient.ts';

/** The largest script the panel takes (bytes of a file, characters of text). WARNING: the worker has the same limit (workers/shellService.ts). */
export const MAX_SCRIPT_BYTES = 256 * 1024;

export type ShellStatus = 'empty' | 'analysing' | 'done' | 'error' | 'too-big';

/** The debounce while typing, ms. */
const PAUSE = 250;

export class ShellState {
  /** The script as in the editor. */
  source = $state('');
  /** Where it came from: a file name, "pasted", or a gallery script's name. */
  origin = $state('');
  status = $state<ShellStatus>('empty');
  error = $state<string | null>(null);
  /** The last report, and the text and environment it belongs to. */
  report = $state.raw<ShellReport | null>(null);
  reportSource = $state.raw('');
  reportEnv = $state.raw<ShellEnv | undefined>(undefined);

  /**
   * The stage catalogue as edited (catalogue key → rate text, catalogueDraft.ts): kept for the
   * session and, its valid entries only, in localStorage (`loadCatalogue` reads them back).
   */
  catalogueEdits = $state<CatalogueEdits>({});
  /** How many stored entries were dropped as invalid when the catalogue was loaded. */
  catalogueDropped = $state(0);
  #storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = null;

  #client: ShellClient | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #env: ShellEnv | undefined = undefined;
  #generation = 0;

  /** Replace the script (typing, a file, a gallery script) and analyse it after `delay` ms. */
  setSource(text: string, origin: string, delay = PAUSE): void {
    this.source = text;
    this.origin = origin;
    this.#schedule(delay);
  }

  /** Replace the environment (undefined: none) and analyse again. */
  setEnv(env: ShellEnv | undefined, delay = PAUSE): void {
    if (JSON.stringify(env) === JSON.stringify(this.#env)) return;
    this.#env = env;
    if (this.source.trim() !== '') this.#schedule(delay);
  }

  /** The text is over the limit (the panel says so and does not analyse). */
  refuse(message: string): void {
    this.#generation++;
    this.#cancelTimer();
    this.status = 'too-big';
    this.error = message;
  }

  #cancelTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(delay: number): void {
    this.#cancelTimer();
    const generation = ++this.#generation;
    if (this.source.trim() === '') {
      this.status = 'empty';
      this.error = null;
      this.report = null;
      this.reportSource = '';
      return;
    }
    if (this.source.length > MAX_SCRIPT_BYTES) {
      this.refuse(`The script is ${Math.ceil(this.source.length / 1024)} KiB; the shell panel takes scripts up to ${MAX_SCRIPT_BYTES / 1024} KiB.`);
      return;
    }
    this.status = 'analysing';
    this.#timer = setTimeout(() => void this.#analyse(generation), delay);
  }

  async #analyse(generation: number): Promise<void> {
    this.#timer = null;
    const source = this.source;
    const env = this.#env;
    this.#client ??= new ShellClient();
    const r = await this.#client.analyze(source, env);
    if (r === null || generation !== this.#generation) return; // a newer request is on its way
    if (!r.ok) {
      this.status = 'error';
      this.error = r.error;
      return;
    }
    this.report = r.report;
    this.reportSource = source;
    this.reportEnv = env;
    this.status = 'done';
    this.error = null;
  }

  /** Analyse now (tests, a button), returning when the report is in. */
  async analyseNow(): Promise<void> {
    this.#cancelTimer();
    const generation = ++this.#generation;
    if (this.source.trim() === '' || this.source.length > MAX_SCRIPT_BYTES) return this.#schedule(0);
    this.status = 'analysing';
    await this.#analyse(generation);
  }

  /** Read the stored catalogue edits (untrusted: validated, the bad ones dropped) and keep them there. */
  loadCatalogue(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): void {
    this.#storage = storage;
    let raw: string | null = null;
    try {
      raw = storage?.getItem(CATALOGUE_STORAGE_KEY) ?? null;
    } catch {
      raw = null; // storage refused (privacy mode): the session keeps the edits
    }
    const { edits, dropped } = loadEdits(raw);
    this.catalogueEdits = { ...edits, ...this.catalogueEdits };
    this.catalogueDropped = dropped;
  }

  /** One row's text as typed (kept even when invalid, so the field shows it with its message). */
  setRate(key: string, text: string): void {
    if (!isEditableKey(key)) return;
    this.catalogueEdits[key] = text;
    this.#saveCatalogue();
  }

  /** Back to DEFAULT_STAGE_CATALOGUE. */
  resetCatalogue(): void {
    this.catalogueEdits = {};
    this.catalogueDropped = 0;
    this.#saveCatalogue();
  }

  #saveCatalogue(): void {
    try {
      const raw = saveEdits(this.catalogueEdits);
      if (raw === saveEdits({})) this.#storage?.removeItem(CATALOGUE_STORAGE_KEY);
      else this.#storage?.setItem(CATALOGUE_STORAGE_KEY, raw);
    } catch {
      // quota or privacy mode: the session still has the edits
    }
  }

  dispose(): void {
    this.#cancelTimer();
    this.#client?.dispose();
    this.#client = null;
  }
}
