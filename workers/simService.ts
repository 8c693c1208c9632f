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
 * Create the service. sim.worker.ts exposes one in a real Worker; tests may expose one on a
 * MessagePort to drive the runner in Node.
 */
export function createSimService() {
  /** Cancellation tokens of the runs in progress in this service. */
  const active = new Set<{ cancelled: boolean }>();
  const yieldToEventLoop = makeYielder();

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
      const token = { cancelled: false };
      active.add(token);
      try {
        const rep = new Replication(model, replication);
        const frames = new FrameSender(onFrame);
        let slice = FIRST_SLICE_EVENTS;
        for (;;) {
          if (token.cancelled) throw new CancelledError();
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
      }
    },

    /** Stop every run in progress in this service; each rejects with a `CancelledError`. */
    cancel(): void {
      for (const token of active) token.cancelled = true;
    }
  };
}

export type SimService = ReturnType<typeof createSimService>;
