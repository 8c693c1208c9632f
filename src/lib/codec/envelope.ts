/**
 * The envelope: the one shape in which a model travels in a link, a shared file and an
 * IndexedDB record.
 *
 *   { "format": "systems-sandbox/share", "version": 1, "model": { ...ModelDocument... } }
 *
 * Why so little: everything a user chose about the model already lives in the model document
 * (`name`, `notes`, and `run` with `until`, `warmup`, `seed`, `replications`, `confidence`,
 * `bucket`), so copying seed, run settings or name into the envelope would give two sources of
 * truth that can disagree. Session state (camera, selection, panels) and run output never go
 * into a link (ARCHITECTURE.md, principle 2). The envelope exists for what the model cannot
 * say about itself: that this JSON is a share (`format`) and in which envelope layout
 * (`version`), which changes independently of the model's own `version`. A later version may
 * add fields (e.g. which chart to open); that is a new envelope version.
 *
 * Reading is lenient in one way only: unknown top-level fields of a v1 envelope are ignored
 * (and dropped), because they cannot change the model. Everything else is checked, and the
 * model goes through the document layer's one door, `restore()`.
 *
 * WARNING: SHARE_FORMAT AND SHARE_VERSION 1 ARE FROZEN. Links, files and stored records with
 * them exist in the wild and must open forever. A change of layout is SHARE_VERSION 2 plus code
 * here that still reads 1.
 */
import { restore, MODEL_FORMAT, describeValue } from '../model/index.ts';
import type { ModelDocument, ModelIssue, Result } from '../model/index.ts';

/** WARNING: FROZEN. The `format` of every envelope. */
export const SHARE_FORMAT = 'systems-sandbox/share';
/** WARNING: FROZEN AT 1 for what exists. The newest envelope layout this code reads and writes. */
export const SHARE_VERSION = 1;

export interface ShareEnvelope {
  format: typeof SHARE_FORMAT;
  version: typeof SHARE_VERSION;
  model: ModelDocument;
}

/** Wrap a model document (not copied: encoders copy as they write). */
export function makeEnvelope(model: ModelDocument): ShareEnvelope {
  return { format: SHARE_FORMAT, version: SHARE_VERSION, model };
}

/** How messages name what is being read, e.g. "this link" / "the file \"a.json\"". */
export interface Source {
  /** Starts a sentence, lower case: "this link", "the file \"a.json\"", "this saved model". */
  subject: string;
  /** "was made", "was written". */
  made: string;
}

export function fail(path: string, message: string): { ok: false; issues: ModelIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/** "nodes[1].x" → "model.nodes[1].x"; "" → "model". */
export function prefixPath(prefix: string, path: string): string {
  if (!path) return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

/** Turn an exception (a bug, or a hostile getter on a stored value) into an issue. */
export function internal(e: unknown, source: Source): { ok: false; issues: ModelIssue[] } {
  let detail: string;
  try {
    detail = e instanceof Error ? e.message : String(e);
  } catch {
    detail = 'unknown error';
  }
  return fail('', `internal error while reading ${source.subject} (please report it): ${detail}`);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Is this parsed value meant to be an envelope (rather than a bare model document)? */
export function looksLikeEnvelope(value: unknown): boolean {
  try {
    return isPlainObject(value) && value.format === SHARE_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Check a parsed value as an envelope and pass its model through `restore()`; the model's
 * located issues come back under `model.`. Never throws.
 */
export function readEnvelope(value: unknown, source: Source): Result<ShareEnvelope> {
  try {
    if (!isPlainObject(value)) {
      return fail(
        '',
        `${source.subject} does not hold a Systems Sandbox model: expected an object with "format": "${SHARE_FORMAT}", got ${describeValue(value)}`
      );
    }
    const format = value.format;
    if (format !== SHARE_FORMAT) {
      const hint = format === MODEL_FORMAT ? ' (a bare model document, not wrapped for sharing)' : '';
      return fail(
        'format',
        `expected "${SHARE_FORMAT}" (${source.subject} does not hold a shared Systems Sandbox model), got ${describeValue(format)}${hint}`
      );
    }
    const version = value.version;
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
      return fail('version', `expected the share version (a whole number such as ${SHARE_VERSION}), got ${describeValue(version)}`);
    }
    if (version > SHARE_VERSION) {
      return fail(
        'version',
        `${source.subject} ${source.made} by a newer version (v${version}) of Systems Sandbox; this app reads up to v${SHARE_VERSION}. Reload the page to get the newest version`
      );
    }
    if (version < 1) {
      return fail('version', `there is no share version v${version}; the first version is v1`);
    }
    const restored = restore(value.model);
    if (!restored.ok) {
      return { ok: false, issues: restored.issues.map((i) => ({ path: prefixPath('model', i.path), message: i.message })) };
    }
    return { ok: true, value: makeEnvelope(restored.value) };
  } catch (e) {
    return internal(e, source);
  }
}
