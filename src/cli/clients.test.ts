/**
 * The `clients` block of the CLI JSON (docs/cli.md): every client, totals always, its time series
 * only with --series.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../lib/model/index';
import { runModel, toJson, withOverrides } from './sim';

describe('CLI JSON: clients', () => {
  const loaded = load(readFileSync(join(__dirname, '..', '..', 'static', 'models', 'metastable-retry-storm-bound-35.json'), 'utf8'));
  if (!loaded.ok) throw new Error('model does not load');
  const model = withOverrides(loaded.value.model, { file: '', json: true, series: false, sets: [], sweep: null, replications: 2, until: 1200 });
  const run = runModel(model);

  it('reports each client with estimates, and its series only with --series', () => {
    const plain = toJson(model, run, false) as { clients: Record<string, Record<string, unknown>> };
    const c = plain.clients.clients;
    for (const k of ['offered', 'goodput', 'attempts', 'retries', 'timeouts', 'rejections', 'amplification', 'wasted']) {
      const e = c[k] as { mean: number; ci: number[] };
      expect(Number.isFinite(e.mean), k).toBe(true);
      expect(e.ci).toHaveLength(2);
    }
    expect(c.series).toBeUndefined();
    const full = toJson(model, run, true) as { clients: Record<string, { series: { goodput: number[]; bucket: number } }> };
    expect(full.clients.clients.series.goodput).toHaveLength(Math.ceil(1200 / full.clients.clients.series.bucket));
    // The spike (300–900 s) causes retries: more attempts than requests.
    expect((c.amplification as { mean: number }).mean).toBeGreaterThan(1.2);
  });
});
