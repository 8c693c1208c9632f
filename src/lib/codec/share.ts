/**
 * Share links. The code of an envelope is
 *
 *   "z" + base64url( deflateRaw(json) ‖ crc32(json) )
 *
 * where json is the UTF-8 of the envelope's canonical JSON, deflateRaw is raw DEFLATE (RFC 1951,
 * fflate level 9), crc32 is its CRC-32 as 4 bytes, most significant first, and base64url is
 * RFC 4648 §5 without padding. In a URL the code sits in the fragment: `https://…/#m=<code>`.
 *
 * Why the fragment: a browser never sends the part after "#" to a server (RFC 3986 §3.5; it is
 * not in the request and is stripped from the Referer header), so a shared model never reaches
 * the host's logs, needs no server storage, and the link works from a static host and offline.
 * Caveats: the whole URL still lands in the browser history, and in whatever chat or mail
 * program it is pasted into.
 *
 * Decoding never throws and refuses, each with a message that says what is wrong and where:
 * an empty or overlong text, an unknown codec tag, characters outside base64url, a length or
 * last character no encoder writes, DEFLATE data that is cut short or corrupt, output beyond
 * MAX_INFLATED_BYTES (inflation stops there: see compress.ts), a checksum that does not
 * match, bytes that are not UTF-8 text, text that is not JSON, JSON that is not an envelope,
 * an envelope from a newer version, and finally a model that `restore()` refuses (its located
 * issues under `model.`).
 *
 * Why the checksum: raw DEFLATE fails loudly on most changed characters, but a change inside
 * a run of literals still inflates to different text, and about one in eight single-character
 * changes of a typical link gave a valid, different model (a changed digit or note) that would
 * have opened silently. The CRC-32 makes every such change an error (the test changes every
 * character of a link). It costs 4 bytes, about 6 characters. It also catches bytes appended
 * after the DEFLATE data, which fflate would ignore.
 *
 * WARNING: SHARE_TAG "z" AND ITS MEANING ARE FROZEN. Links made with it exist in the wild and
 * must open forever. A new encoding gets a new tag and both are read.
 */
import { canonicalJson } from './canonical.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { deflateRaw, inflateRawCapped, MAX_INFLATED_BYTES } from './compress.ts';
import { crc32 } from './crc32.ts';
import { fail, internal, readEnvelope, SHARE_FORMAT, SHARE_VERSION, type ShareEnvelope, type Source } from './envelope.ts';
import { findJsonError } from '../model/jsonError.ts';
import type { Result } from '../model/index.ts';

/**
 * WARNING: FROZEN. Codec tag of version-1 links: canonical JSON of the envelope, raw DEFLATE
 * followed by the CRC-32 of the JSON (4 bytes, big-endian), base64url without padding. Never
 * reuse it for anything else.
 */
export const SHARE_TAG = 'z';

/** Longest link code (or fragment) we read. Real links are a few thousand characters. */
export const MAX_LINK_LENGTH = 2_000_000;

/** WARNING: FROZEN. The fragment key: `#m=<code>`. */
export const FRAGMENT_KEY = 'm';

const LINK: Source = { subject: 'this link', made: 'was made' };

const count = (n: number): string => n.toLocaleString('en-US');

/** Bytes of the checksum after the DEFLATE data. */
const CRC_BYTES = 4;

/**
 * The share code of an envelope (see the top of this file). Deterministic for a given fflate
 * version. Throws TypeError only when the model is not plain JSON data (a bug).
 */
export function encodeShare(envelope: ShareEnvelope): string {
  return packShareText(canonicalJson({ format: SHARE_FORMAT, version: SHARE_VERSION, model: envelope.model }));
}

/**
 * Pack any text as a "z" code (for encodeShare, and for tests that need links holding text
 * no encoder would write). Not part of the public API.
 */
export function packShareText(text: string): string {
  const json = new TextEncoder().encode(text);
  const packed = deflateRaw(json);
  const out = new Uint8Array(packed.length + CRC_BYTES);
  out.set(packed);
  new DataView(out.buffer).setUint32(packed.length, crc32(json));
  return SHARE_TAG + encodeBase64url(out);
}

/** The last link character (1-based) that carries bits of the first `bytes` compressed bytes. */
function lastCharOf(bytes: number): number {
  return SHARE_TAG.length + Math.ceil((bytes * 4) / 3);
}

/** Read a share code (what follows "#m="). Never throws. */
export function decodeShare(text: string): Result<ShareEnvelope> {
  try {
    if (typeof text !== 'string') return fail('', `expected a link (text), got ${typeof text}`);
    if (text.length > MAX_LINK_LENGTH) {
      return fail('', `this link is too long (${count(text.length)} characters; the limit is ${count(MAX_LINK_LENGTH)})`);
    }
    // Links pasted from mail or chat often carry spaces or a line break at either end.
    const code = text.trim();
    if (!code) return fail('', 'this link is empty: it holds no model');
    if (!code.startsWith(SHARE_TAG)) {
      const first = String.fromCodePoint(code.codePointAt(0) ?? 0);
      return fail(
        '',
        `this link is damaged, or was made by a newer version of Systems Sandbox: it starts with ${JSON.stringify(first)}, but the links this app reads start with "${SHARE_TAG}"`
      );
    }
    const body = code.slice(SHARE_TAG.length);
    if (!body) return fail('', `this link is incomplete: it has nothing after "${SHARE_TAG}" (was it cut off when it was copied?)`);

    const b64 = decodeBase64url(body);
    if (!b64.ok) {
      const e = b64.error;
      switch (e.kind) {
        case 'character':
          return fail(
            '',
            `this link is damaged: character ${count(e.index + SHARE_TAG.length + 1)} is ${JSON.stringify(e.char)}, but a link holds only letters, digits, "-" and "_"`
          );
        case 'length':
          return fail('', `this link is incomplete or damaged: it is one character too long or too short (${count(code.length)} characters; was it cut off when it was copied?)`);
        case 'trailing-bits':
          return fail('', `this link is incomplete or damaged: its last character, ${JSON.stringify(e.char)}, cannot end a link (was it cut off when it was copied?)`);
      }
    }

    const bytes = b64.bytes;
    if (bytes.length <= CRC_BYTES) {
      return fail('', `this link is incomplete: it is far too short to hold a model (${count(code.length)} characters; was it cut off when it was copied?)`);
    }
    const inflated = inflateRawCapped(bytes.subarray(0, bytes.length - CRC_BYTES));
    if (!inflated.ok) {
      const e = inflated.error;
      switch (e.kind) {
        case 'truncated':
          return fail('', `this link is incomplete: the packed model ends too early, at character ${count(code.length)} (was the link cut off when it was copied?)`);
        case 'corrupt':
          return fail(
            '',
            `this link is damaged at or before character ${count(Math.min(lastCharOf(e.read), code.length))} of ${count(code.length)}: the packed model cannot be unpacked (DEFLATE error: ${e.detail})`
          );
        case 'too-large':
          return fail(
            '',
            `this link unpacks to more than ${count(MAX_INFLATED_BYTES)} bytes (4 MiB), far more than any model needs, so it was not opened; it is damaged or was made to crash the app`
          );
      }
    }

    const expected = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - CRC_BYTES, CRC_BYTES).getUint32(0);
    if (crc32(inflated.bytes) !== expected) {
      return fail(
        '',
        'this link is damaged: a character in it was changed, added or removed (its checksum does not match); copy the whole link again'
      );
    }

    let json: string;
    try {
      json = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
    } catch {
      return fail('', 'this link is damaged: its unpacked contents are not text');
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (e) {
      const where = findJsonError(json);
      const detail = where ? `${where.reason} at line ${where.line}, column ${where.column}` : e instanceof Error ? e.message : String(e);
      return fail('', `this link is damaged: its unpacked contents are not valid JSON (${detail})`);
    }
    return readEnvelope(value, LINK);
  } catch (e) {
    return internal(e, LINK);
  }
}

/** The URL fragment of an envelope: `#m=<code>`. */
export function shareFragment(envelope: ShareEnvelope): string {
  return `#${FRAGMENT_KEY}=${encodeShare(envelope)}`;
}

/**
 * Read the model from a URL fragment (`location.hash`, with or without "#"; a whole URL works
 * too). Other `key=value` parts joined by "&" are ignored, so the fragment can carry more
 * later. Returns null when there is no `m=` part: the URL holds no model, which is not an
 * error. Never throws.
 */
export function readFragment(hash: string): Result<ShareEnvelope> | null {
  try {
    if (typeof hash !== 'string') return null;
    if (hash.length > MAX_LINK_LENGTH) {
      return fail('', `this link is too long (${count(hash.length)} characters; the limit is ${count(MAX_LINK_LENGTH)})`);
    }
    const at = hash.indexOf('#');
    const body = at >= 0 ? hash.slice(at + 1) : hash;
    const prefix = `${FRAGMENT_KEY}=`;
    for (const part of body.split('&')) {
      if (!part.startsWith(prefix)) continue;
      const code = part.slice(prefix.length);
      if (!code.trim()) return fail('', `this link is empty: it has "#${prefix}" but no model after it`);
      return decodeShare(code);
    }
    return null;
  } catch (e) {
    return internal(e, LINK);
  }
}
