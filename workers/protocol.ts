/**
 * What the simulation worker and its client (src/lib/runner) agree on besides the service's
 * method signatures: how a cancellation looks on the wire, and how to find the buffers of a
 * result to transfer them.
 *
 * Pure TypeScript, no DOM: imported by the worker entry and by the runner on the main thread.
 */

/**
 * The `name` of the Error a cancelled `runReplication` rejects with. Comlink carries an Error's
 * `name`, `message` and `stack` across the channel, so the client recognises it by name.
 * FROZEN: the runner and the tests match on this string.
 */
export const CANCELLED = 'SimCancelledError';

export class CancelledError extends Error {
  override readonly name = CANCELLED;
  constructor(message = 'simulation cancelled') {
    super(message);
  }
}

/** True for a cancellation, whether thrown here or re-created by Comlink from the worker's. */
export function isCancelled(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === CANCELLED;
}

/**
 * Every distinct ArrayBuffer behind a typed array (or a bare ArrayBuffer) inside a plain value,
 * for `Comlink.transfer`. Walks plain objects and arrays only; a buffer is listed once even when
 * several views share it (listing it twice makes postMessage throw). SharedArrayBuffers are
 * skipped: they are shared, never transferred.
 */
export function transferables(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof ArrayBuffer) {
      found.add(v);
      return;
    }
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) found.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) {
      for (const item of v) walk(item);
      return;
    }
    if (v instanceof Map) {
      for (const [k, item] of v) {
        walk(k);
        walk(item);
      }
      return;
    }
    for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key]);
  };
  walk(value);
  return [...found];
}
