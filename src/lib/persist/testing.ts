/** Helpers for this folder's tests (not part of the API). */
import { load, type ModelDocument, type NormalizedModel } from '../model/index.ts';
import { Replication, summarize, type SimSummary } from '../sim/index.ts';

/** A small M/M/1 document (λ = 1/s, mean service 0.5 s). */
export function mm1(name = 'Test M/M/1', run: Record<string, unknown> = {}): ModelDocument {
  return {
    format: 'systems-sandbox/model',
    version: 1,
    name,
    run: { until: '200 s', warmup: 0, seed: 7, replications: 2, ...run },
    nodes: [
      { id: 'clients', kind: 'client', params: { rate: '1/s' } },
      { id: 'q', kind: 'queue' },
      { id: 'srv', kind: 'server', params: { service: { dist: 'exp', mean: '500 ms' } } },
      { id: 'done', kind: 'sink' }
    ],
    edges: [
      { id: 'e1', from: 'clients.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 'srv.in' },
      { id: 'e3', from: 'srv.out', to: 'done.in' }
    ]
  } as ModelDocument;
}

/** Run a document with the real engine in Node. */
export function runDoc(doc: ModelDocument): { model: NormalizedModel; summary: SimSummary } {
  const r = load(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const model = r.value.model;
  const reps = [];
  for (let i = 0; i < model.run.replications; i++) {
    const rep = new Replication(model, i);
    rep.advance(Infinity);
    reps.push(rep.finish());
  }
  return { model, summary: summarize(model, reps) };
}

/** A scheduler driven by hand: `advance(ms)` fires due timers in order. */
export class ManualClock {
  t = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.#timers.delete(h as number);
  };
  get timers(): number {
    return this.#timers.size;
  }
  /** Move time forward, firing timers that fall due (in time order). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | null = null;
      for (const e of this.#timers) if (e[1].at <= end && (!due || e[1].at < due[1].at)) due = e;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

/** Let pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
