/**
 * `npm run sim -- <model.json> [--seed N] [--replications R] [--until T] [--warmup T|auto]
 *  [--confidence C] [--json] [--series]`
 *
 * Loads a model through the same `load()` door as the app, runs its replications with the same
 * engine, and prints a table (default) or the JSON documented in docs/cli.md. Invalid models exit
 * with status 2 and their located errors on stderr; a model the engine cannot run yet exits 3.
 */
import { performance } from 'node:perf_hooks';
import { load } from '../lib/model/index';
import { parseDuration } from '../lib/model/units';
import type { NormalizedModel } from '../lib/model/types';
import { Replication, checkSimulable, summarize, type ReplicationResult, type SimSummary } from '../lib/sim/index';
import { analyze } from '../lib/analysis/index';
import { formatSweep, formatTable } from './table';
import { readInput, scanArgs, type OptionReader } from './args';
import { applyEdits, loadFactor, modelOption, parseSweep, scaleLoad, type Edit } from './edits';
import type { ModelDocument } from '../lib/model/types';

export interface CliArgs {
  file: string;
  seed?: number;
  replications?: number;
  until?: number;
  warmup?: number | 'auto';
  confidence?: number;
  json: boolean;
  series: boolean;
  /** `--set PATH=VALUE` edits applied to the document before it is loaded. */
  sets: Edit[];
  /** `--sweep PATH=V1,V2,...`: one run per value (same seed: common random numbers). */
  sweep: Edit[] | null;
}

const USAGE = `usage: sandbox-sim <model.json> [--seed N] [--replications R] [--until T] [--warmup T|auto]
                   [--confidence C] [--json] [--series] [--set PATH=VALUE]... [--sweep PATH=V1,V2,...]
       sandbox-sim analyze shell <script.sh> [--json] [--env FILE] [--models DIR] [--run] [--mechanism M]
       sandbox-sim analyze metastability|consensus <model.json> [--json] [--help for options]
  T is a duration: a number of seconds or "100 ms", "2 h"...`;

export function parseArgs(argv: string[]): { ok: true; args: CliArgs } | { ok: false; message: string } {
  const args: CliArgs = { file: '', json: false, series: false, sets: [], sweep: null };
  const handle = (a: string, read: OptionReader): boolean => {
    if (modelOption(a, read, args)) return true;
    switch (a) {
      case '--sweep': {
        if (args.sweep) throw new Error('--sweep: one parameter at a time');
        const s = parseSweep(read.value());
        if (!s.ok) throw new Error(`--sweep ${s.message}`);
        args.sweep = s.points;
        return true;
      }
      case '--series':
        args.series = true;
        return true;
      case '--seed':
        args.seed = read.whole(0);
        return true;
      case '--replications':
      case '-r':
        args.replications = read.whole(1);
        return true;
      case '--until': {
        const v = parseDuration(read.value());
        if (!v.ok || !(v.value > 0)) throw new Error('--until: expected a positive duration like "1000 s"');
        args.until = v.value;
        return true;
      }
      case '--warmup': {
        const raw = read.value();
        if (raw === 'auto') args.warmup = 'auto';
        else {
          const v = parseDuration(raw);
          if (!v.ok || v.value < 0) throw new Error('--warmup: expected "auto" or a duration ≥ 0');
          args.warmup = v.value;
        }
        return true;
      }
      case '--confidence': {
        const v = Number(read.value());
        if (!(v > 0 && v < 1)) throw new Error('--confidence: expected a level between 0 and 1, e.g. 0.95');
        args.confidence = v;
        return true;
      }
      default:
        return false;
    }
  };
  try {
    const scan = scanArgs(argv, handle);
    if (scan.help || scan.file === null) return { ok: false, message: USAGE };
    args.file = scan.file;
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n${USAGE}` };
  }
  return { ok: true, args };
}

/** Apply command-line overrides to the run settings (bucket widened to ≤ 2,000 buckets). */
export function withOverrides(model: NormalizedModel, a: CliArgs): NormalizedModel {
  const run = { ...model.run };
  if (a.seed !== undefined) run.seed = a.seed;
  if (a.replications !== undefined) run.replications = a.replications;
  if (a.warmup !== undefined) run.warmup = a.warmup;
  if (a.confidence !== undefined) run.confidence = a.confidence;
  if (a.until !== undefined) {
    run.until = a.until;
    run.bucket = Math.max(run.bucket, a.until / 2000);
  }
  return { ...model, run };
}

export interface CliRun {
  summary: SimSummary;
  replications: ReplicationResult[];
  loopSeconds: number;
}

/** Run all replications, timing only the engine loop. */
export function runModel(model: NormalizedModel): CliRun {
  const reps: ReplicationResult[] = [];
  let loop = 0;
  for (let i = 0; i < model.run.replications; i++) {
    const rep = new Replication(model, i);
    const t0 = performance.now();
    rep.advance(Infinity);
    loop += performance.now() - t0;
    reps.push(rep.finish());
  }
  const events = reps.reduce((a, r) => a + r.events, 0);
  const loopSeconds = loop / 1000;
  const summary = summarize(model, reps, { eventsPerSecond: loopSeconds > 0 ? events / loopSeconds : 0 });
  return { summary, replications: reps, loopSeconds };
}

/** The JSON object documented in docs/cli.md. */
export function toJson(model: NormalizedModel, run: CliRun, withSeries: boolean): Record<string, unknown> {
  const { series, clients, ...rest } = run.summary;
  const report = analyze(model);
  return {
    format: 'systems-sandbox/results',
    version: 1,
    ...rest,
    // Each client's time series is large too: only with --series.
    clients: Object.fromEntries(
      Object.entries(clients ?? {}).map(([id, c]) => {
        const { series: cs, ...totals } = c;
        return [id, withSeries ? { ...totals, series: cs } : totals];
      })
    ),
    analytic: report.nodes,
    ...(withSeries ? { series } : {})
  };
}

/** Edits → document → load → overrides → simulability, with the exit status of each failure. */
function prepare(
  doc: ModelDocument,
  edits: Edit[],
  a: CliArgs
): { ok: true; model: NormalizedModel } | { ok: false; code: number; message: string } {
  const edited = applyEdits(doc, edits);
  if (!edited.ok) return { ok: false, code: 64, message: edited.message };
  const loaded = load(edited.doc);
  if (!loaded.ok) {
    const where = edits.length ? ` after ${edits.map((e) => e.text).join(', ')}` : '';
    return { ok: false, code: 2, message: `the model is not valid${where}:\n${loaded.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}` };
  }
  const factor = loadFactor(edits);
  if (!factor.ok) return { ok: false, code: 64, message: factor.message };
  const model = scaleLoad(withOverrides(loaded.value.model, a), factor.factor);
  const issues = checkSimulable(model);
  if (issues.length > 0) {
    return { ok: false, code: 3, message: `the model cannot be simulated yet:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}` };
  }
  return { ok: true, model };
}

export async function main(argv: string[]): Promise<number> {
  // `analyze metastability|consensus <model.json>`: the analyses, in src/cli/analyze.ts.
  if (argv[0] === 'analyze') return (await import('./analyze')).analyzeMain(argv.slice(1));
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(parsed.message + '\n');
    return argv.includes('--help') || argv.includes('-h') ? 0 : 64;
  }
  const a = parsed.args;
  const input = readInput(a.file);
  if (!input.ok) {
    process.stderr.write(input.message + '\n');
    return 66;
  }
  const text = input.text;
  const loaded = load(text);
  if (!loaded.ok) {
    process.stderr.write(`${a.file}: the model is not valid:\n`);
    for (const i of loaded.issues) process.stderr.write(`  ${i.path}: ${i.message}\n`);
    return 2;
  }
  const points = a.sweep ?? [null];
  const reports: { value: unknown; model: NormalizedModel; run: CliRun }[] = [];
  for (const point of points) {
    const prepared = prepare(loaded.value.doc, point ? [...a.sets, point] : a.sets, a);
    if (!prepared.ok) {
      process.stderr.write(`${a.file}: ${prepared.message}\n`);
      return prepared.code;
    }
    reports.push({ value: point?.value, model: prepared.model, run: runModel(prepared.model) });
  }
  if (a.sweep) {
    const path = a.sweep[0].path.join('.');
    if (a.json) {
      const out = {
        format: 'systems-sandbox/sweep',
        version: 1,
        parameter: path,
        points: reports.map((r) => ({ value: r.value, results: toJson(r.model, r.run, a.series) }))
      };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      process.stdout.write(formatSweep(path, reports.map((r) => ({ value: r.value, model: r.model, summary: r.run.summary }))) + '\n');
    }
    return 0;
  }
  const { model, run } = reports[0];
  if (a.json) {
    process.stdout.write(JSON.stringify(toJson(model, run, a.series), null, 2) + '\n');
  } else {
    process.stdout.write(formatTable(model, run.summary, analyze(model)) + '\n');
  }
  return 0;
}
