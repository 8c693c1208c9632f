import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOnSaved, decideWrite, parseSyncMessage, TabSync, type ChannelLike } from './tabsync.ts';

/** Channels joined in memory, like BroadcastChannel: a post reaches every other channel. */
function bus() {
  const members: ChannelLike[] = [];
  return () => {
    const ch: ChannelLike = {
      onmessage: null,
      postMessage(data) {
        for (const m of members) if (m !== ch) m.onmessage?.({ data: structuredClone(data) });
      },
      close() {
        members.splice(members.indexOf(ch), 1);
      }
    };
    members.push(ch);
    return ch;
  };
}

describe('tab sync', () => {
  it('reloads a clean copy when another tab saved a newer rev, and ignores echoes and old news', () => {
    const local = { id: 'm1', rev: 3, dirty: false };
    expect(decideOnSaved(local, { id: 'm1', rev: 4 })).toBe('reload');
    expect(decideOnSaved(local, { id: 'm1', rev: 3 })).toBe('ignore');
    expect(decideOnSaved(local, { id: 'm1', rev: 2 })).toBe('ignore');
    expect(decideOnSaved(local, { id: 'other', rev: 9 })).toBe('ignore');
    expect(decideOnSaved({ id: null, rev: 0, dirty: true }, { id: 'm1', rev: 9 })).toBe('ignore');
  });

  it('writes its own edits at once when another tab saved under it (the write then forks)', () => {
    expect(decideOnSaved({ id: 'm1', rev: 3, dirty: true }, { id: 'm1', rev: 4 })).toBe('write-now');
  });

  it('overwrites only the rev it is based on', () => {
    expect(decideWrite({ rev: 5 }, 5)).toBe('write');
    expect(decideWrite({ rev: 6 }, 5)).toBe('conflict');
    expect(decideWrite({ rev: 4 }, 5)).toBe('conflict');
    expect(decideWrite(undefined, 5)).toBe('gone');
  });

  it('two tabs editing one model: every edit survives, in the record or in a copy', () => {
    // A simulation of the protocol: a shared record, two tabs interleaving edits and saves.
    fc.assert(
      fc.property(fc.array(fc.record({ tab: fc.integer({ min: 0, max: 1 }), op: fc.constantFrom('edit', 'save', 'hear') }), { maxLength: 60 }), (steps) => {
        let stored = { rev: 1, text: 'v0' };
        const copies: string[] = [];
        const tabs = [0, 1].map(() => ({ rev: 1, text: 'v0', dirty: false }));
        const news: { rev: number }[][] = [[], []];
        let edits = 0;
        const written = new Set<string>();
        for (const { tab, op } of steps) {
          const t = tabs[tab];
          if (op === 'edit') {
            t.text = `e${++edits}`;
            t.dirty = true;
          } else if (op === 'save' && t.dirty) {
            const d = decideWrite(stored, t.rev);
            if (d === 'write') {
              stored = { rev: t.rev + 1, text: t.text };
              t.rev = stored.rev;
              news[1 - tab].push({ rev: stored.rev });
            } else copies.push(t.text);
            written.add(t.text);
            t.dirty = false;
          } else if (op === 'hear') {
            for (const m of news[tab].splice(0)) {
              const a = decideOnSaved({ id: 'm', rev: t.rev, dirty: t.dirty }, { id: 'm', rev: m.rev });
              if (a === 'reload') Object.assign(t, { rev: stored.rev, text: stored.text });
            }
          }
        }
        // Nothing written was lost: each written text is the record or a copy, or was
        // superseded by a later edit of the same tab that was itself written.
        for (const text of written) {
          const n = Number(text.slice(1));
          const later = [...written].some((w) => Number(w.slice(1)) > n);
          expect(stored.text === text || copies.includes(text) || later).toBe(true);
        }
        // A tab that reloaded never had unsaved edits thrown away: reload happens only when clean.
      }),
      { numRuns: 500 }
    );
  });

  it('parses only well-formed messages (other versions may send anything)', () => {
    expect(parseSyncMessage({ type: 'model-saved', from: 't', id: 'm', rev: 2 })).toEqual({ type: 'model-saved', from: 't', id: 'm', rev: 2 });
    expect(parseSyncMessage({ type: 'model-saved', from: 't', id: 'm' })).toBeNull();
    expect(parseSyncMessage({ type: 'model-saved', from: 't', id: 'm', rev: 1.5 })).toBeNull();
    expect(parseSyncMessage({ type: 'future-thing', from: 't' })).toBeNull();
    expect(parseSyncMessage({ type: 'runs-changed' })).toBeNull();
    expect(parseSyncMessage(null)).toBeNull();
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    expect(parseSyncMessage(hostile)).toBeNull();
    fc.assert(fc.property(fc.anything(), (x) => {
      const m = parseSyncMessage(x);
      expect(m === null || typeof m.type === 'string').toBe(true);
    }), { numRuns: 1000 });
  });

  it('delivers messages to other tabs only', () => {
    const join = bus();
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    const a = new TabSync('A', (m) => heardA.push(m), join());
    const b = new TabSync('B', (m) => heardB.push(m), join());
    a.post({ type: 'model-saved', id: 'm', rev: 2 });
    expect(heardA).toEqual([]);
    expect(heardB).toEqual([{ type: 'model-saved', from: 'A', id: 'm', rev: 2 }]);
    b.close();
    a.post({ type: 'runs-changed' });
    expect(heardB).toHaveLength(1);
    a.close();
  });
});
