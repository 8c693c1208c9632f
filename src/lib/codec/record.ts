/**
 * IndexedDB records: a model is stored as the share envelope, as a plain object
 * (`{format: "systems-sandbox/share", version: 1, model}`), so one reader serves links, files
 * and storage. What comes out of a store is untrusted (another tab running another version,
 * a half-written record, a manual edit in devtools): `decodeRecord` checks everything, passes
 * the model through `restore()` and never throws.
 */
import { canonicalJson } from './canonical.ts';
import { internal, makeEnvelope, readEnvelope, type ShareEnvelope, type Source } from './envelope.ts';
import type { ModelDocument, Result } from '../model/index.ts';

const RECORD: Source = { subject: 'this saved model', made: 'was written' };

/**
 * The record to store: a fresh plain object in canonical key order that shares nothing with
 * `doc` (so later edits of the live document cannot reach the store). Throws TypeError only on
 * a document that is not plain JSON data (a bug).
 */
export function encodeRecord(doc: ModelDocument): ShareEnvelope {
  return JSON.parse(canonicalJson(makeEnvelope(doc))) as ShareEnvelope;
}

/** Read a stored record. Never throws. */
export function decodeRecord(value: unknown): Result<ModelDocument> {
  try {
    const r = readEnvelope(value, RECORD);
    return r.ok ? { ok: true, value: r.value.model } : r;
  } catch (e) {
    return internal(e, RECORD);
  }
}
