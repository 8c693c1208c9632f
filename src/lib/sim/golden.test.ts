/**
 * Golden test: the engine's results, bit for bit, against digests stored in golden.json.
 *
 * WHY: performance work on the engine (heap layout, fast paths, skipped bookkeeping) must not
 * change any result: same events in the same order, same random draws, same statistics. The
 * other tests check numbers against theory within intervals, which a subtle change (one draw
 * out of order, one event reordered among ties) would pass. This one fails on ANY change.
 *
 * For each model of golden.models.ts and each replication listed, it stores:
 *  - `events` and `trace`: the number of events and a SHA-256 over (time, event count) after
 *    every single event (the run is advanced one event at a time), so a reordering of events
 *    shows even when the final statistics happen to agree;
 *  - `result`: a SHA-256 of the whole ReplicationResult as JSON, where every number is written
 *    so that distinct bit patterns stay distinct (−0, NaN and ±Infinity included);
 * and per model a digest of `summarize` over those replications, and one of the model itself (so
 * that an edited example file is reported as such, not as a change of the engine).
 *
 * The reference values were computed by the engine itself, before the changes they guard
 * against. A deliberate change of behaviour (a new feature that moves draws, a bug fix) must
 * regenerate them, in a commit of its own that says why:
 *   UPDATE_GOLDEN=1 npx vitest run src/lib/sim/golden.test.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NormalizedModel } from '../model/types';
import { Replication, type ReplicationResult } from './engine';
import { summarize } from './summary';
import { goldenCases } from './golden.models';

const FILE = join(import.meta.dirname, 'golden.json');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface RepDigest {
  events: number;
  trace: string;
  result: string;
}
type Golden = Record<string, RepDigest | string>;

const stored: Golden = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Golden) : {};
const computed: Golden = {};

/** JSON with numbers that keep their identity: −0, NaN, ±Infinity as tagged strings. */
function exactJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'number') {
      if (Object.is(v, -0)) return '#-0';
      if (!Number.isFinite(v)) return `#${v}`;
      return v; // finite doubles: JSON writes the shortest round-trip form, exact
    }
    // Typed arrays as plain arrays (the replacer then sees each element).
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

function runTraced(model: NormalizedModel, r: number): { digest: RepDigest; result: ReplicationResult } {
  const rep = new Replication(model, r);
  const hash = createHash('sha256');
  const buf = new Float64Array(8192);
  let i = 0;
  for (;;) {
    const done = rep.advance(1);
    buf[i++] = rep.now;
    buf[i++] = rep.events;
    if (i === buf.length) {
      hash.update(new Uint8Array(buf.buffer));
      i = 0;
    }
    if (done) break;
  }
  hash.update(new Uint8Array(buf.buffer, 0, i * 8));
  const result = rep.finish();
  return { digest: { events: rep.events, trace: hash.digest('hex'), result: sha(exactJson(result)) }, result };
}

const cases = goldenCases();

describe('golden: results bit-identical to the stored reference', () => {
  for (const c of cases) {
    it(c.name, () => {
      const results: ReplicationResult[] = [];
      for (const r of c.replications) {
        const key = `${c.name} #${r}`;
        const { digest, result } = runTraced(c.model, r);
        results.push(result);
        computed[key] = digest;
        if (!UPDATE) {
          expect(stored[key], `no golden value for "${key}": run UPDATE_GOLDEN=1 (see the file comment)`).toBeDefined();
          expect(digest, `"${key}" changed`).toEqual(stored[key]);
        }
      }
      const key = `${c.name} summary`;
      computed[key] = sha(exactJson(summarize(c.model, results)));
      if (!UPDATE) expect(computed[key], `"${key}" changed`).toBe(stored[key]);
    });
  }

  // Read first when a case fails: a changed input is not a changed engine.
  for (const c of cases) {
    it(`${c.name}: the model is the one the reference was computed for`, () => {
      const key = `${c.name} model`;
      computed[key] = sha(exactJson(c.model));
      if (!UPDATE) expect(computed[key], `the model of "${c.name}" changed (its file or the model layer's defaults): regenerate its values with an engine known to be right`).toBe(stored[key]);
    });
  }

  it('every stored value belongs to a current case (a dropped case is noticed)', () => {
    const names = new Set<string>();
    for (const c of cases) {
      for (const r of c.replications) names.add(`${c.name} #${r}`);
      names.add(`${c.name} summary`);
      names.add(`${c.name} model`);
    }
    if (!UPDATE) expect(Object.keys(stored).filter((k) => !names.has(k))).toEqual([]);
  });

  it('the digests see a change: another seed gives other digests', () => {
    const c = cases.find((x) => x.name.includes('mm1.json'))!;
    const a = runTraced(c.model, 0).digest;
    const b = runTraced({ ...c.model, run: { ...c.model.run, seed: c.model.run.seed + 1 } }, 0).digest;
    expect(b.trace).not.toBe(a.trace);
    expect(b.result).not.toBe(a.result);
  });
});

afterAll(() => {
  if (!UPDATE) return;
  const sorted = Object.fromEntries(Object.keys(computed).sort().map((k) => [k, computed[k]]));
  writeFileSync(FILE, JSON.stringify(sorted, null, 1) + '\n');
});
