/**
 * Undo and redo from recorded diffs, with marks (ARCHITECTURE.md, principle 5).
 *
 * - `record(label, before, after)` pushes one entry: the diff between two documents.
 * - A mark groups an interaction: `mark(label, doc)` remembers the document at the start of a
 *   drag; the drag then changes the document many times without recording; `commit(doc)`
 *   records one entry from the mark to now (a drag is one undo step), `cancel()` returns the
 *   document at the mark (Escape).
 * - Entries with the same `coalesce` key made within `coalesceMs` of each other merge (typing
 *   in one field is one step, not one per key). Merging recomputes the diff from the first
 *   entry's starting document, kept only while that entry is the newest.
 * - Loading a model and run output are never recorded: the Editor clears the history on load
 *   and run output never enters the document.
 */
import { applyDiff, diffDocs, isEmptyDiff, type DocDiff } from './diff.ts';
import type { ModelDocument } from '../model/types.ts';

export interface HistoryEntry {
  label: string;
  diff: DocDiff;
  coalesce?: string;
  /** When the entry was last changed (for coalescing), ms. */
  at: number;
}

export interface HistoryOptions {
  /** Most entries kept; the oldest go first. */
  limit?: number;
  coalesceMs?: number;
  now?: () => number;
}

export class History {
  readonly limit: number;
  readonly coalesceMs: number;
  readonly #now: () => number;
  #undo: HistoryEntry[] = [];
  #redo: HistoryEntry[] = [];
  /** The document before the newest entry, while that entry may still coalesce. */
  #coalesceBase: ModelDocument | null = null;
  #mark: { label: string; base: ModelDocument; coalesce?: string } | null = null;

  constructor(opts: HistoryOptions = {}) {
    this.limit = opts.limit ?? 500;
    this.coalesceMs = opts.coalesceMs ?? 1500;
    this.#now = opts.now ?? (() => Date.now());
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }
  get canRedo(): boolean {
    return this.#redo.length > 0;
  }
  get undoLabel(): string | null {
    return this.#undo.at(-1)?.label ?? null;
  }
  get redoLabel(): string | null {
    return this.#redo.at(-1)?.label ?? null;
  }
  get size(): { undo: number; redo: number } {
    return { undo: this.#undo.length, redo: this.#redo.length };
  }
  /** True between mark() and commit()/cancel(). */
  get marking(): boolean {
    return this.#mark !== null;
  }
  /** The document at the open mark, or null. */
  get markBase(): ModelDocument | null {
    return this.#mark?.base ?? null;
  }

  /** Record the change from `before` to `after`; returns the entry, or null when nothing changed. */
  record(label: string, before: ModelDocument, after: ModelDocument, opts: { coalesce?: string } = {}): HistoryEntry | null {
    const now = this.#now();
    const last = this.#undo.at(-1);
    if (
      opts.coalesce !== undefined &&
      last?.coalesce === opts.coalesce &&
      this.#coalesceBase &&
      this.#redo.length === 0 &&
      now - last.at <= this.coalesceMs
    ) {
      const diff = diffDocs(this.#coalesceBase, after);
      if (isEmptyDiff(diff)) {
        this.#undo.pop();
        this.#coalesceBase = null;
        return null;
      }
      last.diff = diff;
      last.at = now;
      return last;
    }
    const diff = diffDocs(before, after);
    if (isEmptyDiff(diff)) return null;
    const entry: HistoryEntry = { label, diff, at: now, ...(opts.coalesce !== undefined ? { coalesce: opts.coalesce } : {}) };
    this.#push(entry);
    this.#coalesceBase = opts.coalesce !== undefined ? before : null;
    return entry;
  }

  #push(entry: HistoryEntry): void {
    this.#undo.push(entry);
    if (this.#undo.length > this.limit) this.#undo.shift();
    this.#redo = [];
  }

  /** Start an interaction at document `base` (a drag). A mark already open is committed first by the caller. */
  mark(label: string, base: ModelDocument, coalesce?: string): void {
    this.#mark = { label, base, ...(coalesce !== undefined ? { coalesce } : {}) };
  }

  /** End the interaction: one entry from the mark to `current` (none if nothing changed). */
  commit(current: ModelDocument): HistoryEntry | null {
    const m = this.#mark;
    if (!m) return null;
    this.#mark = null;
    return this.record(m.label, m.base, current, m.coalesce !== undefined ? { coalesce: m.coalesce } : {});
  }

  /** Abandon the interaction: the document at the mark, to restore. */
  cancel(): ModelDocument | null {
    const m = this.#mark;
    this.#mark = null;
    return m ? m.base : null;
  }

  /** The document after undoing the newest entry, or null when there is nothing to undo. */
  undo(doc: ModelDocument): { doc: ModelDocument; entry: HistoryEntry } | null {
    const entry = this.#undo.pop();
    if (!entry) return null;
    this.#redo.push(entry);
    this.#coalesceBase = null;
    return { doc: applyDiff(doc, entry.diff, 'backward'), entry };
  }

  redo(doc: ModelDocument): { doc: ModelDocument; entry: HistoryEntry } | null {
    const entry = this.#redo.pop();
    if (!entry) return null;
    this.#undo.push(entry);
    this.#coalesceBase = null;
    return { doc: applyDiff(doc, entry.diff, 'forward'), entry };
  }

  /** Drop the newest entry without applying it (the host refused the change it made). */
  dropLast(): void {
    this.#undo.pop();
    this.#coalesceBase = null;
  }

  clear(): void {
    this.#undo = [];
    this.#redo = [];
    this.#mark = null;
    this.#coalesceBase = null;
  }
}
