/**
 * Raw DEFLATE (RFC 1951, no zlib or gzip wrapper) through fflate: level 9 to write, and a
 * capped, streaming inflate to read.
 *
 * Why the cap works the way it does: fflate's `inflateSync` and a single `Inflate.push` of the
 * whole input both inflate everything they are given in one call, growing the output buffer as
 * they go, so a small link that inflates to gigabytes (a "zip bomb") would allocate all of it
 * before we could look. Instead we feed the streaming `Inflate` a few hundred compressed bytes
 * at a time and count the bytes it hands back. DEFLATE cannot expand by more than about
 * 1032:1 (a 258-byte match coded in 2 bits), so one push of INFLATE_CHUNK bytes yields at most
 * MAX_INFLATE_PER_PUSH (about 580 KiB); as soon as the running count passes the limit we stop and drop what we have.
 * Peak memory is therefore the limit plus one push's output plus fflate's 32 KiB window and
 * working buffer, never the size of the bomb.
 *
 * fflate ignores bytes after the end of the final DEFLATE block (its streaming API does not
 * expose how much input it used). Such bytes cannot change the model, so we accept that.
 */
import { Inflate, deflateSync } from 'fflate';

/** Most bytes a link may inflate to: far more than any model needs (a 200-node model is ~40 KiB). */
export const MAX_INFLATED_BYTES = 4 * 1024 * 1024;

/** Compressed bytes given to fflate per push (bounds the output of one push, see above). */
export const INFLATE_CHUNK = 512;

/**
 * The most one push can produce: DEFLATE's 1032:1 worst case for INFLATE_CHUNK new bytes, plus
 * a stored (uncompressed) block of up to 65,535 bytes that fflate held back until its end
 * arrived, plus one match that started in the held-back bytes. About 580 KiB.
 */
export const MAX_INFLATE_PER_PUSH = 65_535 + INFLATE_CHUNK * 1032 + 258;

export function deflateRaw(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

export type InflateError =
  /** The compressed data stops before its end: a link cut short. */
  | { kind: 'truncated'; read: number }
  /** The compressed data is not valid DEFLATE: a link changed or not made by us. */
  | { kind: 'corrupt'; read: number; detail: string }
  /** More than `limit` bytes; `produced` is how many had been inflated when we stopped. */
  | { kind: 'too-large'; read: number; produced: number };

export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; error: InflateError };

/**
 * Inflate raw DEFLATE data, refusing (and stopping) once the output passes `limit` bytes.
 * `read` in an error is how many compressed bytes had been given to fflate when it was
 * detected: the damage lies at or before that byte (inflation reads in order).
 * Never throws.
 */
export function inflateRawCapped(data: Uint8Array, limit: number = MAX_INFLATED_BYTES): InflateResult {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > limit) over = true;
    else if (chunk.length) chunks.push(chunk);
  });
  let offset = 0;
  try {
    do {
      const start = offset;
      const end = Math.min(start + INFLATE_CHUNK, data.length);
      offset = end;
      inflater.push(data.subarray(start, end), end === data.length);
      if (over) {
        chunks.length = 0;
        return { ok: false, error: { kind: 'too-large', read: offset, produced } };
      }
    } while (offset < data.length);
  } catch (e) {
    chunks.length = 0;
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 0) return { ok: false, error: { kind: 'truncated', read: offset } };
    let detail: string;
    try {
      detail = e instanceof Error ? e.message : String(e);
    } catch {
      detail = 'unknown error';
    }
    return { ok: false, error: { kind: 'corrupt', read: offset, detail } };
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(produced);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes };
}
