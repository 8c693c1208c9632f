/**
 * Pipelines as models: the log-processing pipeline becomes a valid model; its bottleneck is the
 * stage with the smallest capacity computed here from the catalogue, its throughput lies
 * between that capacity less the spawn pauses and the capacity itself; a bigger pipe buffer
 * never lowers throughput; editing the catalogue moves the bottleneck.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, restore } from '../model/index';
import { FORK_FIXED } from '../model/kinds/spawner';
import { simulate } from '../sim/index';
import { analyzeShell } from './analyze';
import {
  LOG_PIPELINE_SCENARIO,
  DEFAULT_LINE_BYTES,
  DEFAULT_STAGE_CATALOGUE,
  lookupStage,
  pipelineBottleneck,
  pipelineToModel,
  type PipelineModelOptions,
  type StageCatalogue
} from './pipelineModel';
import type { PipelineInfo } from './types';

const LOG = `cat access.log | grep ' 500 ' | cut -d' ' -f7 | sort | uniq -c | sort -rn | head\n`;
const INPUT = 2 * 1024 * 1024;

async function logPipeline(): Promise<PipelineInfo> {
  const report = await analyzeShell(LOG);
  expect(report.pipelines).toHaveLength(1);
  return report.pipelines[0];
}

/** Each stage's capacity (bytes of input per second) straight from a catalogue (every `keeps` is 1 here). */
function capacities(p: PipelineInfo, catalogue: StageCatalogue = DEFAULT_STAGE_CATALOGUE): number[] {
  return p.stages.map((s) => {
    const spec = lookupStage(s.command, catalogue).spec;
    return spec.unit === 'bytes/s' ? spec.rate : spec.rate * DEFAULT_LINE_BYTES;
  });
}

function run(p: PipelineInfo, options: PipelineModelOptions) {
  const doc = pipelineToModel(p, { inputBytes: INPUT, replications: 3, ...options });
  const loaded = load(doc);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded));
  const { summary } = simulate(loaded.value.model);
  return { doc, summary, verdict: pipelineBottleneck(summary, doc) };
}

describe('pipelineToModel', () => {
  it('the log pipeline becomes a valid model: a spawner per stage, blocking pipes, laid out left to right', async () => {
    const p = await logPipeline();
    const doc = pipelineToModel(p);
    const restored = restore(JSON.parse(JSON.stringify(doc)));
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    const kinds = (k: string) => doc.nodes.filter((n) => n.kind === k);
    expect(kinds('spawner')).toHaveLength(p.stages.length);
    expect(kinds('server')).toHaveLength(p.stages.length);
    for (const s of kinds('spawner')) expect(s.params).toMatchObject({ mechanism: 'fork-exec', requestsPerSpawn: 4096 }); // 16 MiB / 4 KiB
    const pipes = kinds('queue').filter((q) => (q.params as { capacity?: number } | undefined)?.capacity === 15);
    expect(pipes).toHaveLength(p.stages.length - 1); // 64 KiB = 16 chunks: 15 queued + 1 at the reader's spawner
    for (const q of pipes) expect(q.params).toMatchObject({ onFull: 'block' });
    const x = new Map(doc.nodes.map((n) => [n.id, n.x as number]));
    for (const e of doc.edges) {
      const [from, to] = [e.from.split('.')[0], e.to.split('.')[0]];
      if (from !== 'src') expect(x.get(to)!, `${e.from} → ${e.to}`).toBeGreaterThanOrEqual(x.get(from)!);
    }
    expect(pipelineToModel(p, { mechanism: 'spork' }).nodes.find((n) => n.kind === 'spawner')!.params).toMatchObject({ mechanism: 'spork' });
  });

  it('bad options get a located message', async () => {
    const p = await logPipeline();
    expect(() => pipelineToModel(p, { bufferBytes: -1 })).toThrow(/bufferBytes must be a positive number/);
    expect(() => pipelineToModel(p, { catalogue: { sort: { rate: 0, unit: 'bytes/s', why: '' } } })).toThrow(/catalogue\["sort"\]\.rate/);
    expect(() => pipelineToModel({ ...p, stages: [] })).toThrow(/line 1 has no stages/);
  });

  it('the bottleneck is the stage with the smallest catalogue capacity; throughput is that capacity less the spawn pauses', async () => {
    const p = await logPipeline();
    const caps = capacities(p);
    const min = Math.min(...caps);
    const slowest = caps.flatMap((c, i) => (c === min ? [i] : []));
    const { verdict } = run(p, {});
    expect(slowest).toContain(verdict.bottleneck.stage);
    expect(verdict.bottleneck.utilisation).toBeGreaterThan(0.95);
    for (const [i, s] of verdict.stages.entries()) if (!slowest.includes(i)) expect(s.utilisation).toBeLessThan(verdict.bottleneck.utilisation);
    // Upper bound: the slowest stage's capacity. Lower bound: every stage's fork (1.7 ms at a
    // parent of 0 bytes) serialised once per input file.
    const lower = INPUT / (INPUT / min + p.stages.length * FORK_FIXED);
    expect(verdict.throughput.ci[0]).toBeLessThanOrEqual(min * (1 + 1e-9));
    expect(verdict.throughput.mean).toBeGreaterThanOrEqual(lower);
  });

  it('editing the catalogue moves the bottleneck (a slow grep)', async () => {
    const p = await logPipeline();
    const catalogue: StageCatalogue = { grep: { rate: 10e6, unit: 'bytes/s', why: 'a backtracking regex' } };
    const { verdict } = run(p, { catalogue });
    const caps = capacities(p, { ...DEFAULT_STAGE_CATALOGUE, ...catalogue });
    expect(verdict.bottleneck.stage).toBe(caps.indexOf(Math.min(...caps)));
    expect(p.stages[verdict.bottleneck.stage].command).toBe('grep');
  });

  it('a bigger pipe buffer never lowers throughput', async () => {
    const p = await logPipeline();
    // The buffers absorb each stage's start-up (a fork per input file) and the others' pauses.
    let last = 0;
    for (const bufferBytes of [4096, 16384, 65536, 1048576]) {
      const { verdict } = run(p, { bufferBytes, catalogue: { sort: { rate: 100e6, unit: 'bytes/s', why: '' } } });
      const x = verdict.throughput;
      expect(x.ci[1], `buffer ${bufferBytes}`).toBeGreaterThanOrEqual(last * (1 - 1e-9));
      last = x.mean;
    }
  });

  it('unknown commands get the documented default', () => {
    const { spec, known } = lookupStage('/opt/bin/frobnicate');
    expect(known).toBe(false);
    expect(spec).toBe(DEFAULT_STAGE_CATALOGUE['*']);
    expect(lookupStage('/usr/bin/gawk').spec).toBe(DEFAULT_STAGE_CATALOGUE.awk);
  });
});

describe('the gallery scenario static/models/log-pipeline.json', () => {
  it('is what scripts/make-pipeline-scenario.ts builds today (run it after changing the builder)', async () => {
    const report = await analyzeShell(LOG_PIPELINE_SCENARIO.script);
    const doc = pipelineToModel(report.pipelines[0], { title: LOG_PIPELINE_SCENARIO.title });
    const file = JSON.parse(readFileSync(join(__dirname, '../../../static/models/log-pipeline.json'), 'utf8'));
    delete file.$schema;
    expect(file).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
