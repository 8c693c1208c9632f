/**
 * Node worker_threads behind the Comlink endpoint the runner expects (src/lib/runner's
 * `WorkerLike`), so the CLI spreads experiments over threads with the same ExperimentRunner the
 * page uses with Web Workers.
 *
 * Comlink's own node adapter is not used: it attaches every listener to "message" whatever the
 * event type, so the runner's "error" listener would fire on every reply. Here "message" gets
 * `{ data }`, and "error"/"messageerror"/an unexpected exit get an event with a `message`.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type * as Comlink from 'comlink';
import type { WorkerLike } from '../lib/runner/SimRunner';

type Listener = EventListenerOrEventListenerObject;
const call = (h: Listener, ev: unknown) => (typeof h === 'function' ? h(ev as Event) : h.handleEvent(ev as Event));

/** A worker_threads `Worker` or `MessagePort` (e.g. `parentPort`) as a Comlink endpoint. */
export function nodeEndpoint(port: Worker | MessagePort): Comlink.Endpoint {
  const bound = new Map<Listener, { event: string; fn: (x: unknown) => void }[]>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) =>
      (port as MessagePort).postMessage(message, transfer as never),
    addEventListener(type: string, h: Listener) {
      const fns: { event: string; fn: (x: unknown) => void }[] =
        type === 'message'
          ? [{ event: 'message', fn: (data) => call(h, { type, data }) }]
          : type === 'error'
            ? [
                { event: 'error', fn: (e) => call(h, { type, message: (e as Error)?.message ?? String(e) }) },
                // A worker that exits on its own (not terminated) has failed.
                { event: 'exit', fn: (code) => call(h, { type, message: `the worker exited (code ${String(code)})` }) }
              ]
            : [{ event: type, fn: () => call(h, { type, message: '' }) }];
      for (const { event, fn } of fns) port.on(event, fn);
      bound.set(h, [...(bound.get(h) ?? []), ...fns]);
    },
    removeEventListener(_type: string, h: Listener) {
      for (const { event, fn } of bound.get(h) ?? []) port.off(event, fn);
      bound.delete(h);
    },
    start: () => (port as MessagePort).start?.()
  } as Comlink.Endpoint;
}

/** A worker thread running the experiment service (./experimentWorker.mjs). */
export function experimentWorker(): WorkerLike {
  // execArgv: [] — the thread loads TypeScript through tsx itself (the .mjs entry registers it),
  // whatever flags the parent process was started with (a test runner's, for instance).
  const w = new Worker(new URL('./experimentWorker.mjs', import.meta.url), { execArgv: [] });
  let terminated = false;
  const ep = nodeEndpoint(w);
  return Object.assign(ep, {
    terminate() {
      if (terminated) return;
      terminated = true;
      w.removeAllListeners('exit');
      void w.terminate();
    }
  });
}
