/**
 * Files: what a user downloads and opens.
 *
 * `encodeFile` writes the plain model document (not the envelope) as canonical JSON, indented
 * by two spaces and ending in a newline: a file people can read, edit and diff, which any
 * older or newer app reads through `restore()`, and whose bytes depend only on the document.
 *
 * `decodeFile` accepts a plain model document or a share envelope (`"format":
 * "systems-sandbox/share"`), both as JSON text, and passes the model through `restore()`.
 * Never throws. When a file name is given, every message names the file.
 */
import { canonicalJson } from './canonical.ts';
import { fail, internal, looksLikeEnvelope, readEnvelope, type Source } from './envelope.ts';
import { findJsonError } from '../model/jsonError.ts';
import { restore, MAX_TEXT_LENGTH } from '../model/index.ts';
import type { ModelDocument, ModelIssue, Result } from '../model/index.ts';

/** The text of a model file: canonical JSON, two-space indent, final newline. */
export function encodeFile(doc: ModelDocument): string {
  return canonicalJson(doc, { indent: 2 }) + '\n';
}

const LINKISH = /#m=|^z[A-Za-z0-9_-]{16,}$/;

/** Read a model file's text (plain model document or share envelope). Never throws. */
export function decodeFile(text: string, fileName?: string): Result<ModelDocument> {
  const subject = fileName ? `the file ${JSON.stringify(fileName)}` : 'the file';
  const source: Source = { subject, made: 'was made' };
  // Messages from restore() locate the problem inside the document; add which file it is in.
  const named = (issues: ModelIssue[]): ModelIssue[] =>
    fileName ? issues.map((i) => ({ path: i.path, message: `${i.message} (in ${JSON.stringify(fileName)})` })) : issues;
  try {
    if (typeof text !== 'string') return fail('', `${subject} could not be read as text`);
    if (text.length > MAX_TEXT_LENGTH) {
      return fail(
        '',
        `${subject} is too large (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_TEXT_LENGTH.toLocaleString('en-US')})`
      );
    }
    // Editors on some systems save a byte-order mark; JSON.parse rejects it.
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (!body.trim()) return fail('', `${subject} is empty`);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      const where = findJsonError(body);
      const detail = where
        ? `${where.reason} at line ${where.line}, column ${where.column}`
        : e instanceof Error
          ? e.message
          : String(e);
      const hint = LINKISH.test(body.trim()) ? ' (it looks like a share link: open the link in the browser instead)' : '';
      return fail('', `${subject} is not a Systems Sandbox model: it is not valid JSON (${detail})${hint}`);
    }
    if (looksLikeEnvelope(value)) {
      const r = readEnvelope(value, source);
      if (r.ok) return { ok: true, value: r.value.model };
      return {
        ok: false,
        issues: r.issues.map((i) => (i.path === 'model' || i.path.startsWith('model.') || i.path.startsWith('model[') ? named([i])[0] : i))
      };
    }
    const r = restore(value);
    return r.ok ? r : { ok: false, issues: named(r.issues) };
  } catch (e) {
    return internal(e, source);
  }
}
