/**
 * Is a value plain JSON data? Checked before anything else touches an already-parsed input
 * (from IndexedDB, postMessage, a caller), so that the rest of the layer, the codec and the
 * store can rely on finite numbers, plain objects and lists, no cycles and bounded depth.
 *
 * Iterative on purpose: a deeply nested or cyclic input must not overflow the stack.
 */
import { formatPath, type PathKey } from './issues.ts';
import { describeValue } from './units.ts';
import type { ModelIssue } from './types.ts';

/** Deepest nesting accepted anywhere in a document (a real model needs about 10). */
export const MAX_DEPTH = 100;
/** Most values (objects, lists, strings, numbers...) in one document. */
export const MAX_VALUES = 5_000_000;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: PathKey | null;
}

function pathOf(frame: Frame): string {
  const keys: PathKey[] = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) keys.push(f.key);
  return formatPath(keys.reverse());
}

/** The first problem found, or null when the value is plain JSON data. */
export function checkPlainData(root: unknown): ModelIssue | null {
  const stack: Frame[] = [{ value: root, depth: 0, parent: null, key: null }];
  let count = 0;
  while (stack.length) {
    const frame = stack.pop() as Frame;
    const x = frame.value;
    if (++count > MAX_VALUES) {
      return { path: '', message: `this model is too large (more than ${MAX_VALUES.toLocaleString('en-US')} values)` };
    }
    switch (typeof x) {
      case 'string':
      case 'boolean':
      case 'undefined': // an absent optional field; dropped when saved
        continue;
      case 'number':
        if (!Number.isFinite(x)) return { path: pathOf(frame), message: `expected a finite number, got ${describeValue(x)}` };
        continue;
      case 'object':
        break;
      default:
        return { path: pathOf(frame), message: `expected plain JSON data, got ${describeValue(x)}` };
    }
    if (x === null) continue;
    if (frame.depth >= MAX_DEPTH) {
      return { path: pathOf(frame), message: `nested too deeply (more than ${MAX_DEPTH} levels), or a value that contains itself` };
    }
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push({ value: x[i], depth: frame.depth + 1, parent: frame, key: i });
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) {
      return { path: pathOf(frame), message: `expected plain JSON data, got ${describeValue(x)}` };
    }
    const keys = Object.keys(x);
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({ value: (x as Record<string, unknown>)[keys[i]], depth: frame.depth + 1, parent: frame, key: keys[i] });
    }
  }
  return null;
}
