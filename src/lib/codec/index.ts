/**
 * The codec's public API: one versioned format for share links (URL fragment), files and
 * IndexedDB records (ARCHITECTURE.md, principle 10). Pure TypeScript: no DOM; runs in a page,
 * a Worker and Node. Every decoder never throws and returns `Result` with located issues.
 */
export { canonicalJson, MAX_CANONICAL_DEPTH, type CanonicalOptions } from './canonical.ts';
export { SHARE_FORMAT, SHARE_VERSION, makeEnvelope, type ShareEnvelope } from './envelope.ts';
export {
  encodeShare,
  decodeShare,
  shareFragment,
  readFragment,
  SHARE_TAG,
  FRAGMENT_KEY,
  MAX_LINK_LENGTH
} from './share.ts';
export { encodeFile, decodeFile } from './file.ts';
export { encodeRecord, decodeRecord } from './record.ts';
export { MAX_INFLATED_BYTES } from './compress.ts';
