import { describe, expect, it } from 'vitest';
import { Autosaver, type SaveStatus } from './autosave.ts';
import { ManualClock, settle } from './testing.ts';

/** A write we resolve or reject by hand, recording when each started. */
function harness(interval = 500) {
  const clock = new ManualClock();
  const writes: { value: string; at: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const statuses: SaveStatus[] = [];
  const errors: unknown[] = [];
  const saver = new Autosaver<string>({
    interval,
    scheduler: clock,
    write: (value) =>
      new Promise<void>((resolve, reject) => {
        writes.push({ value, at: clock.now(), resolve, reject });
      }),
    onStatus: (s) => statuses.push(s),
    onError: (e) => errors.push(e)
  });
  return { clock, writes, statuses, errors, saver };
}

describe('Autosaver', () => {
  it('writes a single change at once (leading edge)', async () => {
    const { saver, writes } = harness();
    saver.change('a');
    expect(writes.map((w) => w.value)).toEqual(['a']);
    expect(saver.status).toBe('saving');
    writes[0].resolve();
    await settle();
    expect(saver.status).toBe('saved');
    expect(saver.dirty).toBe(false);
  });

  it('merges a burst of changes into one trailing write of the newest, at most every 500 ms', async () => {
    const { saver, writes, clock } = harness();
    saver.change('a');
    writes[0].resolve();
    await settle();
    // Typing: a change every 50 ms for 2 s.
    for (let i = 0; i < 40; i++) {
      clock.advance(50);
      saver.change(`v${i}`);
      for (const w of writes) w.resolve();
      await settle();
    }
    clock.advance(500);
    for (const w of writes) w.resolve();
    await settle();
    const starts = writes.map((w) => w.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(500);
    // 2 s of typing: the first write, then about one per 500 ms, never one per keystroke.
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(6);
    expect(writes.at(-1)!.value).toBe('v39');
    expect(saver.dirty).toBe(false);
  });

  it('never lets a change wait more than the interval once the previous write is done', async () => {
    const { saver, writes, clock } = harness();
    saver.change('a');
    writes[0].resolve();
    await settle();
    clock.advance(100);
    saver.change('b');
    expect(writes).toHaveLength(1);
    clock.advance(399);
    expect(writes).toHaveLength(1);
    clock.advance(1);
    expect(writes.map((w) => w.value)).toEqual(['a', 'b']);
  });

  it('never overlaps writes: a change during a slow write waits for it', async () => {
    const { saver, writes, clock } = harness();
    saver.change('a');
    clock.advance(2000);
    saver.change('b');
    clock.advance(2000);
    expect(writes).toHaveLength(1);
    writes[0].resolve();
    await settle();
    expect(writes.map((w) => w.value)).toEqual(['a', 'b']);
  });

  it('flush writes at once, ignoring the interval, and resolves when all is written', async () => {
    const { saver, writes } = harness();
    saver.change('a');
    saver.change('b');
    let flushed = false;
    const f = saver.flush().then(() => (flushed = true));
    writes[0].resolve();
    await settle();
    expect(writes.map((w) => w.value)).toEqual(['a', 'b']);
    expect(flushed).toBe(false);
    writes[1].resolve();
    await f;
    expect(flushed).toBe(true);
    expect(saver.dirty).toBe(false);
  });

  it('reports a failed write, keeps the value, does not retry in a loop, retries on flush', async () => {
    const { saver, writes, errors, clock } = harness();
    saver.change('a');
    const quota = new DOMException('full', 'QuotaExceededError');
    writes[0].reject(quota);
    await settle();
    expect(errors).toEqual([quota]);
    expect(saver.status).toBe('error');
    expect(saver.dirty).toBe(true);
    clock.advance(10_000);
    expect(writes).toHaveLength(1);
    const f = saver.flush();
    expect(writes.map((w) => w.value)).toEqual(['a', 'a']);
    writes[1].resolve();
    await f;
    expect(saver.status).toBe('saved');
  });

  it('a newer change after a failure is what gets retried', async () => {
    const { saver, writes, clock } = harness();
    saver.change('a');
    writes[0].reject(new Error('x'));
    await settle();
    clock.advance(600);
    saver.change('b');
    expect(writes.map((w) => w.value)).toEqual(['a', 'b']);
  });

  it('cancel drops a pending change', async () => {
    const { saver, writes, clock } = harness();
    saver.change('a');
    writes[0].resolve();
    await settle();
    saver.change('b');
    saver.cancel();
    clock.advance(1000);
    expect(writes).toHaveLength(1);
    expect(saver.dirty).toBe(false);
    expect(clock.timers).toBe(0);
  });
});
