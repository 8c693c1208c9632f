/**
 * Canonical JSON: one text per value, so that the same document always gives the same bytes
 * (stable links, hashes and diffs).
 *
 * Rules (close to RFC 8785, JCS):
 *  - object keys sorted by UTF-16 code units (`Array.prototype.sort` without a comparator),
 *    recursively; keys whose value is `undefined` are left out (an absent optional field);
 *  - strings and numbers written by `JSON.stringify` (shortest round-trip form; -0 → 0;
 *    lone surrogates escaped as \udxxx, so the UTF-8 bytes are always well formed);
 *  - no whitespace, or, with `indent`, one value per line.
 *
 * Anything that is not plain JSON data is a bug in the caller and throws a TypeError naming
 * where it is: NaN and ±Infinity (JSON.stringify would silently write null and change the
 * meaning), bigints, functions, symbols, `undefined` in a list, class instances (Date, Map...),
 * cycles and nesting deeper than MAX_CANONICAL_DEPTH.
 *
 * Pure TypeScript: no DOM.
 */

/** Deepest nesting `canonicalJson` writes (decoders accept 100; this only guards the stack). */
export const MAX_CANONICAL_DEPTH = 1000;

export interface CanonicalOptions {
  /** Spaces per level for a readable file; 0 or omitted: the compact form. */
  indent?: number;
}

function where(path: string): string {
  return path || 'the top level';
}

/**
 * The canonical JSON text of a plain JSON value. Throws TypeError on values that are not plain
 * JSON data (a bug in the caller; decoded input never contains them).
 */
export function canonicalJson(value: unknown, options: CanonicalOptions = {}): string {
  const indent = options.indent ?? 0;
  const ancestors = new Set<object>();
  const parts: string[] = [];

  const write = (x: unknown, path: string, depth: number): void => {
    switch (typeof x) {
      case 'string':
        parts.push(JSON.stringify(x));
        return;
      case 'boolean':
        parts.push(x ? 'true' : 'false');
        return;
      case 'number':
        if (!Number.isFinite(x)) throw new TypeError(`canonicalJson: ${x} at ${where(path)} is not a JSON number`);
        parts.push(JSON.stringify(x));
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`canonicalJson: ${typeof x} at ${where(path)} is not JSON data`);
    }
    if (x === null) {
      parts.push('null');
      return;
    }
    if (depth >= MAX_CANONICAL_DEPTH) throw new TypeError(`canonicalJson: nested deeper than ${MAX_CANONICAL_DEPTH} at ${where(path)}`);
    if (ancestors.has(x)) throw new TypeError(`canonicalJson: ${where(path)} contains itself`);
    const nl = indent ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
    const close = indent ? '\n' + ' '.repeat(indent * depth) : '';
    ancestors.add(x);
    if (Array.isArray(x)) {
      if (x.length === 0) parts.push('[]');
      else {
        parts.push('[');
        for (let i = 0; i < x.length; i++) {
          if (i) parts.push(',');
          parts.push(nl);
          const item: unknown = x[i];
          if (item === undefined) throw new TypeError(`canonicalJson: undefined at ${path}[${i}] (a list cannot hold nothing)`);
          write(item, `${path}[${i}]`, depth + 1);
        }
        parts.push(close, ']');
      }
    } else {
      const proto: unknown = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) {
        const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
        throw new TypeError(`canonicalJson: ${typeof name === 'string' && name ? name : 'an object with a prototype'} at ${where(path)} is not plain JSON data`);
      }
      const record = x as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      if (keys.length === 0) parts.push('{}');
      else {
        parts.push('{');
        keys.forEach((k, i) => {
          if (i) parts.push(',');
          parts.push(nl, JSON.stringify(k), indent ? ': ' : ':');
          write(record[k], path ? `${path}.${k}` : k, depth + 1);
        });
        parts.push(close, '}');
      }
    }
    ancestors.delete(x);
  };

  write(value, '', 0);
  return parts.join('');
}
