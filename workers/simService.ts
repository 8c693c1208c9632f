/**
 * The simulation service behind the worker: runs the engine (src/lib/sim) in slices.
 *
 * The engine is pure and clock-free (ARCHITECTURE.md, principle 3); this adapter owns what the
 * engine must not: wall-clock reads, slicing the run so messages (a cancel) can arrive, the
 * live-frame rate, and transferring the result's typed arrays instead of copying them.
 *
 * Invariant: slicing never changes the numbers. `advance(n)` runs events in the same order
 * whatever `n` is, so the adaptive slice size below (a function of wall time) is safe.
 */
import * as Comlink from 'comlink';
import { Replication, type LiveFrame, type ReplicationResult } from '../src/lib/sim/index.ts';
import type { NormalizedModel } from '../src/lib/model/types.ts';
import { CancelledError, transferables } from './protocol.ts';

export type { ReplicationResult };

/** Send a live frame at most this often (wall time). */
export const FRAME_INTERVAL_MS = 50;
/** Aim for slices this long, so a cancel is honoured within a few tens of milliseconds. */
const TARGET_SLICE_MS = 15;
const FIRST_SLICE_EVENTS = 20_000;
const MIN_SLICE_EVENTS = 1_000;
const MAX_SLICE_EVENTS = 2_000_000;

/**
 * Yield to the event loop with a macrotask, so queued messages (Comlink calls such as
 * `cancel()`) run before the next slice. A MessageChannel is used rather than `setTimeout(0)`,
 * which browsers clamp to ≥ 4 ms once nested. Several runs may wait at once (a cancelled run
 * still unwinding beside a new one), so waiters queue.
 */
function makeYielder(): () => Promise<void> {
  let channel: MessageChannel | null = null;
  const waiters: (() => void)[] = [];
  return () =>
    new Promise<void>((resolve) => {
      if (!channel) {
        channel = new MessageChannel();
        channel.port1.onmessage = () => waiters.shift()?.();
        // Node (unit tests): an open port must not keep the process alive.
        (channel.port1 as { unref?: () => void }).unref?.();
        (channel.port2 as { unref?: () => void }).unref?.();
      }
      waiters.push(resolve);
      channel.port2.postMessage(0);
    });
}

/**
 * Live frames with back-pressure: while the main thread has not yet taken the previous frame,
 * newer ones are dropped (a later tick sends a fresh one), so frames never queue up behind a
 * busy page. Latest wins.
 */
class FrameSender {
  #inflight: Promise<unknown> | null = null;
  #last = -Infinity;
  readonly #onFrame: ((f: LiveFrame) => unknown) | undefined;

  constructor(onFrame: ((f: LiveFrame) => unknown) | undefined) {
    this.#onFrame = onFrame;
  }

  /** Send `make()` if the interval has passed and no frame is in flight. */
  maybeSend(nowMs: number, make: () => LiveFrame): void {
    if (!this.#onFrame || this.#inflight || nowMs - this.#last < FRAME_INTERVAL_MS) return;
    this.#last = nowMs;
    void this.#send(make());
  }

  /** Send `frame` now (after the one in flight, if any); resolves when it has been taken. A step while paused uses it. */
  async now(frame: LiveFrame, nowMs: number): Promise<void> {
    if (!this.#onFrame) return;
    if (this.#inflight) await this.#inflight;
    this.#last = nowMs;
    await this.#send(frame);
  }

  /** Send the final frame once the one in flight has been taken; resolves when it is. */
  async final(frame: LiveFrame): Promise<void> {
    if (!this.#onFrame) return;
    if (this.#inflight) await this.#inflight;
    await this.#send(frame);
  }

  #send(frame: LiveFrame): Promise<unknown> {
    const onFrame = this.#onFrame;
    const p: Promise<unknown> = Promise.resolve()
      .then(() => onFrame?.(frame))
      .catch(() => undefined) // a page that went away must not fail the run
      .finally(() => {
        if (this.#inflight === p) this.#inflight = null;
      });
    this.#inflight = p;
    return p;
  }
}

/**
 * How far one `step()` advances a paused run: `events` events, or `seconds` of simulated time
 * (the first events at or after now + seconds may overshoot it by less than STEP_CHUNK events).
 * Default: 1% of the run's simulated time.
 */
export interface StepOptions {
  events?: number;
  seconds?: number;
}

/** A time step advances in chunks this small, so it stops close to the asked time. */
const STEP_CHUNK = 64;

/** A run in progress in this service: what cancel, pause and step act on. */
interface RunToken {
  cancelled: boolean;
  /** Wakes the run's loop while it waits paused (resume, step or cancel). */
  wake: (() => void) | null;
  /** Steps asked while paused and not yet done; each resolves once its frame has been taken. */
  steps: { opts: StepOptions; done: () => void }[];
}

/**
 * Create the service. sim.worker.ts exposes one in a real Worker; tests may expose one on a
 * MessagePort to drive the runner in Node.
 */
export function createSimService() {
  /** The runs in progress in this service. */
  const active = new Set<RunToken>();
  const yieldToEventLoop = makeYielder();
  /**
   * Paused: every run's loop waits between slices, holding its Replication (its whole state)
   * here in the worker, until `resume()`, `step()` or `cancel()`. Service-wide, so a replication
   * that starts while paused (the runner hands out the next one) starts paused too.
   */
  let paused = false;
  const wakeAll = () => {
    for (const t of active) {
      const w = t.wake;
      t.wake = null;
      w?.();
    }
  };
  /** Wait while paused; run the steps asked meanwhile. Returns true when the run reached its end during a step. */
  const whilePaused = async (token: RunToken, rep: Replication, frames: FrameSender): Promise<boolean> => {
    while (paused && !token.cancelled) {
      const step = token.steps.shift();
      if (!step) {
        await new Promise<void>((resolve) => (token.wake = resolve));
        continue;
      }
      // Stepping is advancing with smaller slices: the same events in the same order.
      let done = false;
      if (step.opts.events !== undefined) {
        done = rep.advance(Math.max(1, Math.floor(step.opts.events)));
      } else {
        const target = rep.now + (step.opts.seconds ?? rep.until / 100);
        while (!done && rep.now < target) done = rep.advance(STEP_CHUNK);
      }
      if (!done) await frames.now(rep.frame(), performance.now());
      step.done();
      if (done) return true;
    }
    return false;
  };

  return {
    /**
     * Run replication `replication` (0-based: it selects the substream) of `model` to the end
     * and return its raw result with its typed arrays transferred. `onFrame`, if given, must be
     * a `Comlink.proxy` when called across a worker boundary; it receives a `LiveFrame` at most
     * every FRAME_INTERVAL_MS and always a final one. Rejects with a `CancelledError` (name
     * `SimCancelledError`) after `cancel()`.
     */
    async runReplication(
      model: NormalizedModel,
      replication: number,
      onFrame?: (f: LiveFrame) => unknown
    ): Promise<ReplicationResult> {
      const token: RunToken = { cancelled: false, wake: null, steps: [] };
      active.add(token);
      try {
        const rep = new Replication(model, replication);
        const frames = new FrameSender(onFrame);
        let slice = FIRST_SLICE_EVENTS;
        for (;;) {
          if (token.cancelled) throw new CancelledError();
          if (paused) {
            // Show where it stopped, then hold: nothing advances until resume/step/cancel.
            await frames.now(rep.frame(), performance.now());
            if (await whilePaused(token, rep, frames)) break;
            if (token.cancelled) throw new CancelledError();
          }
          const t0 = performance.now();
          const done = rep.advance(slice);
          const t1 = performance.now();
          if (done) break;
          // Adapt the slice so that one takes about TARGET_SLICE_MS of wall time.
          const ms = Math.max(t1 - t0, 0.05);
          slice = Math.round(
            Math.min(MAX_SLICE_EVENTS, Math.max(MIN_SLICE_EVENTS, (slice * TARGET_SLICE_MS) / ms))
          );
          frames.maybeSend(t1, () => rep.frame());
          await yieldToEventLoop();
        }
        await frames.final(rep.frame());
        if (token.cancelled) throw new CancelledError();
        const result = rep.finish();
        return Comlink.transfer(result, transferables(result));
      } finally {
        active.delete(token);
        for (const s of token.steps.splice(0)) s.done();
      }
    },

    /** Stop every run in progress in this service; each rejects with a `CancelledError`. Clears a pause. */
    cancel(): void {
      paused = false;
      for (const token of active) token.cancelled = true;
      wakeAll();
    },

    /**
     * Hold every run of this service after its current slice (within ~15 ms), and any run that
     * starts, until `resume()`. Each sends a frame where it stopped. Pausing never changes the
     * numbers: `advance(n)` processes the same events in the same order whatever the slicing.
     */
    pause(): void {
      paused = true;
    },

    resume(): void {
      paused = false;
      wakeAll();
    },

    /**
     * While paused: advance every run by `opts` (default: 1% of its simulated time), send a
     * frame, and stay paused. Resolves once every run has done its step (or ended). Not paused:
     * resolves at once and does nothing.
     */
    step(opts: StepOptions = {}): Promise<void> {
      if (!paused) return Promise.resolve();
      const waits: Promise<void>[] = [];
      for (const token of active) {
        waits.push(new Promise<void>((done) => token.steps.push({ opts, done })));
        const w = token.wake;
        token.wake = null;
        w?.();
      }
      return Promise.all(waits).then(() => undefined);
    },

    /** Whether this service is paused. */
    isPaused(): boolean {
      return paused;
    }
  };
}

export type SimService = ReturnType<typeof createSimService>;
