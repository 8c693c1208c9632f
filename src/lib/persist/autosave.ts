/**
 * Autosave, as a small state machine with an injected clock and timer, so its timing can be
 * tested without waiting and without IndexedDB.
 *
 * Rules:
 *  - Every `change(value)` is saved, latest value wins: changes made while a write is in flight
 *    or within the interval are merged into one trailing write of the newest value.
 *  - At most one write starts per `interval` (500 ms): typing does not write per keystroke.
 *    A change after a quiet spell is written at once (leading edge), so a single edit is on
 *    disk within a few milliseconds, and nothing is ever more than `interval` behind.
 *  - Writes never overlap, so they reach the store in order.
 *  - `flush()` (page hide, switching models) starts the pending write now, ignoring the
 *    interval, and resolves when everything changed so far is written.
 *  - A failed write is reported (`onError`) and the value stays pending; it is retried on the
 *    next change or flush, never in a loop (a full disk would otherwise spin).
 */

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)
};

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';

export interface AutosaveOptions<T> {
  write: (value: T) => Promise<void>;
  /** Least time between the starts of two writes, ms. */
  interval?: number;
  scheduler?: Scheduler;
  onStatus?: (status: SaveStatus) => void;
  onError?: (error: unknown) => void;
}

export const AUTOSAVE_INTERVAL = 500;

export class Autosaver<T> {
  #write: (value: T) => Promise<void>;
  #interval: number;
  #clock: Scheduler;
  #onStatus?: (status: SaveStatus) => void;
  #onError?: (error: unknown) => void;

  #pending: { value: T } | null = null;
  #inFlight: Promise<void> | null = null;
  #timer: unknown = null;
  #lastStart = -Infinity;
  #failed = false;
  #status: SaveStatus = 'saved';
  #waiters: Array<() => void> = [];

  constructor(opts: AutosaveOptions<T>) {
    this.#write = opts.write;
    this.#interval = opts.interval ?? AUTOSAVE_INTERVAL;
    this.#clock = opts.scheduler ?? realScheduler;
    this.#onStatus = opts.onStatus;
    this.#onError = opts.onError;
  }

  get status(): SaveStatus {
    return this.#status;
  }

  /** Something changed since the last successful write (or is being written). */
  get dirty(): boolean {
    return this.#pending !== null || this.#inFlight !== null;
  }

  change(value: T): void {
    this.#pending = { value };
    this.#failed = false;
    this.#setStatus(this.#inFlight ? 'saving' : 'pending');
    this.#pump(false);
  }

  /** Write what is pending now; resolves once all changes so far are written (or failed). */
  flush(): Promise<void> {
    if (this.#pending) this.#failed = false;
    this.#pump(true);
    if (!this.dirty) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Forget a pending change (the model it belongs to was closed after a flush, or deleted). */
  cancel(): void {
    this.#pending = null;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#inFlight) this.#settle();
  }

  #pump(now: boolean): void {
    if (!this.#pending || this.#inFlight || this.#failed) return;
    const wait = now ? 0 : this.#lastStart + this.#interval - this.#clock.now();
    if (wait > 0) {
      if (this.#timer === null) {
        this.#timer = this.#clock.setTimeout(() => {
          this.#timer = null;
          this.#pump(false);
        }, wait);
      }
      return;
    }
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    const { value } = this.#pending;
    this.#pending = null;
    this.#lastStart = this.#clock.now();
    this.#setStatus('saving');
    let p: Promise<void>;
    try {
      p = this.#write(value);
    } catch (e) {
      p = Promise.reject(e);
    }
    this.#inFlight = p.then(
      () => {
        this.#inFlight = null;
        if (this.#pending) {
          this.#setStatus('pending');
          // A flush waiting on us wants the newer value too, at once.
          this.#pump(this.#waiters.length > 0);
        } else this.#settle();
      },
      (e: unknown) => {
        this.#inFlight = null;
        // Keep the newest value to retry: the failed one unless a newer change arrived.
        this.#pending ??= { value };
        this.#failed = true;
        this.#setStatus('error');
        this.#onError?.(e);
        this.#release();
      }
    );
  }

  #settle(): void {
    if (!this.#failed) this.#setStatus(this.#pending ? 'pending' : 'saved');
    this.#release();
  }

  #release(): void {
    if (this.#inFlight) return;
    const w = this.#waiters;
    this.#waiters = [];
    for (const resolve of w) resolve();
  }

  #setStatus(s: SaveStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.#onStatus?.(s);
  }
}
