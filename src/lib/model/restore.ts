/**
 * The one door in (ARCHITECTURE.md, principle 1). Every document from a URL, a file, IndexedDB
 * or an example passes `restore`: decode → plain-data check → format → migrate → validate →
 * graph checks. Failures come back as located issues; nothing here throws (a bug becomes an
 * issue too), so the caller can keep the user's current work.
 */
import * as v from 'valibot';
import { DocumentSchema } from './document.ts';
import { PARSE_CONFIG } from './fields.ts';
import { checkGraph } from './graph.ts';
import { fromValibot } from './issues.ts';
import { findJsonError } from './jsonError.ts';
import { migrate } from './migrations.ts';
import { normalizeValidated } from './normalize.ts';
import { checkPlainData } from './plainData.ts';
import { describeValue } from './units.ts';
import { MODEL_FORMAT, type ModelDocument, type ModelIssue, type NormalizedModel, type Result } from './types.ts';

/** Longest JSON text `restore` reads. */
export const MAX_TEXT_LENGTH = 5_000_000;

function fail(path: string, message: string): { ok: false; issues: ModelIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/** Turn an exception (a bug, or a hostile getter) into an issue. */
function internal(e: unknown): { ok: false; issues: ModelIssue[] } {
  let detail: string;
  try {
    detail = e instanceof Error ? e.message : String(e);
  } catch {
    detail = 'unknown error';
  }
  return fail('', `internal error while reading the model (please report it): ${detail}`);
}

function decode(text: string): Result<unknown> {
  if (text.length > MAX_TEXT_LENGTH) {
    return fail(
      '',
      `this model is too large (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_TEXT_LENGTH.toLocaleString('en-US')})`
    );
  }
  // Editors on some systems save a byte-order mark; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const where = findJsonError(body);
    if (where) {
      return fail('', `not valid JSON: ${where.reason} at line ${where.line}, column ${where.column} (position ${where.position})`);
    }
    return fail('', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Plain-data, schema and graph checks of a current-version document (no decoding, no
 * migration). Returns the document as validated: a deep copy of the input, unknown fields kept.
 */
export function validate(value: unknown): Result<ModelDocument> {
  try {
    const plain = checkPlainData(value);
    if (plain) return { ok: false, issues: [plain] };
    const parsed = v.safeParse(DocumentSchema, value, PARSE_CONFIG);
    if (!parsed.success) return { ok: false, issues: fromValibot(parsed.issues) };
    // The schema copies the fields it knows and shares unknown ones with the input: copy all,
    // so that the caller's value and the returned document never alias.
    const doc = structuredClone(parsed.output) as unknown as ModelDocument;
    const graphIssues = checkGraph(doc);
    if (graphIssues.length) return { ok: false, issues: graphIssues };
    return { ok: true, value: doc };
  } catch (e) {
    return internal(e);
  }
}

/**
 * Read a model from anything: a JSON string (at most MAX_TEXT_LENGTH characters) or an
 * already-parsed value. Never throws.
 */
export function restore(input: unknown): Result<ModelDocument> {
  try {
    let value: unknown = input;
    if (typeof input === 'string') {
      const decoded = decode(input);
      if (!decoded.ok) return decoded;
      value = decoded.value;
    }
    const plain = checkPlainData(value);
    if (plain) return { ok: false, issues: [plain] };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail('', `expected a model document (a JSON object with "format": "${MODEL_FORMAT}"), got ${describeValue(value)}`);
    }
    const record = value as Record<string, unknown>;
    if (record.format !== MODEL_FORMAT) {
      return fail('format', `expected "${MODEL_FORMAT}" (this is not a Systems Sandbox model), got ${describeValue(record.format)}`);
    }
    const migrated = migrate(record);
    if (!migrated.ok) return migrated;
    return validate(migrated.value);
  } catch (e) {
    return internal(e);
  }
}

/**
 * Units to base, defaults filled: what the engine reads. Validates first (a document edited in
 * memory may be invalid); does not migrate (pass old documents through `restore`).
 */
export function normalize(doc: ModelDocument): Result<NormalizedModel> {
  try {
    const valid = validate(doc);
    if (!valid.ok) return valid;
    return { ok: true, value: normalizeValidated(valid.value) };
  } catch (e) {
    return internal(e);
  }
}

/** `restore` then normalise: the document to keep and edit, and the model to run. */
export function load(input: unknown): Result<{ doc: ModelDocument; model: NormalizedModel }> {
  try {
    const restored = restore(input);
    if (!restored.ok) return restored;
    return { ok: true, value: { doc: restored.value, model: normalizeValidated(restored.value) } };
  } catch (e) {
    return internal(e);
  }
}
