/**
 * Base64url (RFC 4648 §5) without padding, strict in both directions.
 *
 * Strict decoding matters for links: every text has at most one meaning, so a character that
 * was changed always changes the bytes (or is refused), never silently decodes to the same
 * model. Refused: characters outside A–Z a–z 0–9 - _, "=" padding, a length that leaves one
 * character over (length % 4 === 1), and a last character whose unused low bits are not zero.
 *
 * Written here rather than with atob/btoa or Buffer so it behaves the same in a page, a
 * Worker and Node, and can say where a text is broken.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Character code → 6-bit value, or -1. */
const DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export function encodeBase64url(bytes: Uint8Array): string {
  const out: string[] = [];
  let chunk = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
    if (chunk.length >= 8192) {
      out.push(chunk);
      chunk = '';
    }
  }
  if (n - i === 1) {
    const v = bytes[i] << 16;
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
  } else if (n - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63];
  }
  out.push(chunk);
  return out.join('');
}

export type Base64urlError =
  /** `index`: 0-based position of the first character outside the alphabet. */
  | { kind: 'character'; index: number; char: string }
  /** One character left over: the text was cut or had a character added or removed. */
  | { kind: 'length' }
  /** The last character carries bits no encoder writes. */
  | { kind: 'trailing-bits'; index: number; char: string };

export type Base64urlResult = { ok: true; bytes: Uint8Array } | { ok: false; error: Base64urlError };

/** Strict decoding; never throws. */
export function decodeBase64url(text: string): Base64urlResult {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || DECODE[c] < 0) {
      // Report a whole surrogate pair as one character.
      const cp = text.codePointAt(i) ?? c;
      return { ok: false, error: { kind: 'character', index: i, char: String.fromCodePoint(cp) } };
    }
  }
  const rest = n % 4;
  if (rest === 1) return { ok: false, error: { kind: 'length' } };
  const bytes = new Uint8Array(((n - rest) / 4) * 3 + (rest ? rest - 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v =
      (DECODE[text.charCodeAt(i)] << 18) |
      (DECODE[text.charCodeAt(i + 1)] << 12) |
      (DECODE[text.charCodeAt(i + 2)] << 6) |
      DECODE[text.charCodeAt(i + 3)];
    bytes[o++] = v >> 16;
    bytes[o++] = (v >> 8) & 255;
    bytes[o++] = v & 255;
  }
  if (rest === 2) {
    const last = DECODE[text.charCodeAt(i + 1)];
    if (last & 15) return { ok: false, error: { kind: 'trailing-bits', index: i + 1, char: text[i + 1] } };
    bytes[o++] = (DECODE[text.charCodeAt(i)] << 2) | (last >> 4);
  } else if (rest === 3) {
    const last = DECODE[text.charCodeAt(i + 2)];
    if (last & 3) return { ok: false, error: { kind: 'trailing-bits', index: i + 2, char: text[i + 2] } };
    const v = (DECODE[text.charCodeAt(i)] << 18) | (DECODE[text.charCodeAt(i + 1)] << 12) | (last << 6);
    bytes[o++] = v >> 16;
    bytes[o++] = (v >> 8) & 255;
  }
  return { ok: true, bytes };
}
