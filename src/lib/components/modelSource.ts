/**
 * Where the page gets models: the example index, an example file, or a file the user picks.
 * Everything goes through the document layer's one door, `load()` (ARCHITECTURE.md,
 * principle 1); failures come back as located issues, never as exceptions, so the caller can
 * keep the current model.
 */
import { load } from '../model/index.ts';
import type { ModelDocument, ModelIssue, NormalizedModel, Result } from '../model/types.ts';
import { readIndex, type GalleryEntry } from './gallery.ts';

export interface LoadedModel {
  doc: ModelDocument;
  model: NormalizedModel;
  /** Where it came from, for the UI: "mm1.json" or the picked file's name. */
  source: string;
}

/** One entry of static/models/index.json (gallery.ts: `{file, name, group?, idea?, summary?}`). */
export type ExampleEntry = GalleryEntry;

function issue(path: string, message: string): { ok: false; issues: ModelIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/** Parse JSON text and pass it through `load()`. */
export function loadText(text: string, source: string): Result<LoadedModel> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return issue('', `${source} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return loadJson(json, source);
}

/** Pass an already-parsed value through `load()`. */
export function loadJson(json: unknown, source: string): Result<LoadedModel> {
  const r = load(json);
  if (!r.ok) return r;
  return { ok: true, value: { doc: r.value.doc, model: r.value.model, source } };
}

export async function loadFile(file: File): Promise<Result<LoadedModel>> {
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return issue('', `Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return loadText(text, file.name);
}

export async function loadUrl(url: string, source: string): Promise<Result<LoadedModel>> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    return issue('', `Could not fetch ${source}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) return issue('', `Could not fetch ${source}: HTTP ${res.status}`);
  return loadText(await res.text(), source);
}

/** Read the example index; an unreadable index yields an empty list (the page still works). */
export async function fetchExampleIndex(url: string): Promise<ExampleEntry[]> {
  try {
    const res = await fetch(url);
    if (!res.ok) return [];
    // Only plain file names inside static/models/ (or its validation/ folder): the index never
    // points elsewhere. Entries of the wrong shape are skipped.
    return readIndex(await res.json());
  } catch {
    return [];
  }
}
