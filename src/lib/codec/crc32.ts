/**
 * CRC-32 (IEEE 802.3, the one in zip, gzip and PNG: reflected polynomial 0xEDB88320, initial
 * and final XOR 0xFFFFFFFF). fflate computes it internally but does not export it.
 *
 * Share links carry the CRC-32 of their JSON so that a changed character is always refused:
 * without it about one in eight single-character changes of a typical link still inflated to
 * a valid, different model (measured on static/models/mm1.json).
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 of `bytes`, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
