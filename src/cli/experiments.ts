/**
 * `npm run sim -- analyze triggers <model.json> [options]` and
 * `npm run sim -- analyze hysteresis <model.json> [options]`: the simulated experiments of
 * src/lib/experiments (PAPERS.md §6), headless. The model goes through `load()` like everywhere
 * else (after any `--set` edits); the JSON outputs are documented in docs/cli.md (a public
 * contract: fields are only ever added).
 */
import { readInput, scanArgs, type OptionReader } from './args';
import { availableParallelism } from 'node:os';
import { load } from '../lib/model/index';
import type { NormalizedModel } from '../lib/model/types';
import { checkSimulable } from '../lib/sim/index';
import {
  hysteresis,
  planHysteresis,
  planTriggerSweep,
  triggerSweep,
  type HysteresisOptions,
  type HysteresisResult,
  type HysteresisSpec,
  type TriggerGrid,
  type TriggerSweepOptions,
  type TriggerSweepResult
} from '../lib/experiments/index';
import { applyEdits, modelOption, type Edit } from './edits';
import { ExperimentRunner } from '../lib/runner/ExperimentRunner';
import { experimentWorker } from './nodeWorker';

export const EXPERIMENTS_USAGE = `usage: sandbox-sim analyze triggers <model.json> [--base F1,F2,...] [--rate R1,R2,...] [--length T1,T2,...]
                       [--json] [--client ID] [--at T] [--observe T] [--replications N] [--bucket T]
                       [--window T] [--tolerance F] [--slow-factor F] [--slow-after T]
                       [--timeout-model erlang|chebyshev] [--series] [--workers N] [--set PATH=VALUE]...
       sandbox-sim analyze hysteresis <model.json> [--from F] [--to F] [--steps N] [--dwell T]
                       [--json] [--client ID] [--settle F] [--replications N] [--bucket T]
                       [--workers N] [--set PATH=VALUE]...
  --workers N: threads to spread the simulations over (default: cores − 1; 1 runs in this thread).
               The numbers are the same for every N.`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

type What = 'triggers' | 'hysteresis';

interface Args {
  what: What;
  file: string;
  json: boolean;
  sets: Edit[];
  grid: Partial<TriggerGrid>;
  triggers: TriggerSweepOptions;
  spec: Partial<HysteresisSpec>;
  hyst: HysteresisOptions;
  /** Threads for the simulations; 1 = this thread. */
  workers: number;
}

/** Default `--workers`: every core but one (at least 1). */
export function defaultCliWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

function parse(what: What, argv: string[]): { ok: true; args: Args } | { ok: false; message: string } {
  const args: Args = { what, file: '', json: false, sets: [], grid: {}, triggers: {}, spec: {}, hyst: {}, workers: defaultCliWorkers() };
  const handle = (a: string, read: OptionReader): boolean => {
    const only = (w: What) => read.only(what, w);
    const factor = (x: string) => {
      const v = Number(x);
      if (!(v > 0)) throw new Error(`${a}: expected factors > 0, got "${x}"`);
      return v;
    };
    if (modelOption(a, read, args)) return true;
    switch (a) {
      case '--client':
        args.triggers.client = args.hyst.client = read.value();
        return true;
      case '--replications':
        args.triggers.replications = args.hyst.replications = read.whole(1);
        return true;
      case '--bucket':
        args.triggers.bucket = args.hyst.bucket = read.duration();
        return true;
      case '--workers':
        args.workers = read.whole(1);
        return true;
      case '--base':
        only('triggers');
        args.grid.baseLoad = read.list(factor);
        return true;
      case '--rate':
        only('triggers');
        args.grid.triggerRate = read.list((x) => read.rate(x));
        return true;
      case '--length':
        only('triggers');
        args.grid.triggerLength = read.list((x) => read.duration(x));
        return true;
      case '--at':
        only('triggers');
        args.triggers.at = read.duration();
        return true;
      case '--observe':
        only('triggers');
        args.triggers.observe = read.duration();
        return true;
      case '--window':
        only('triggers');
        args.triggers.window = read.duration();
        return true;
      case '--tolerance':
        only('triggers');
        args.triggers.tolerance = read.number(0, 'a fraction between 0 and 1', true);
        return true;
      case '--slow-factor':
        only('triggers');
        args.triggers.slowFactor = read.number(0, 'a factor ≥ 0');
        return true;
      case '--slow-after':
        only('triggers');
        args.triggers.slowAfter = read.duration();
        return true;
      case '--timeout-model': {
        only('triggers');
        const v = read.value();
        if (v !== 'erlang' && v !== 'chebyshev') throw new Error('--timeout-model: expected erlang or chebyshev');
        args.triggers.timeoutModel = v;
        return true;
      }
      case '--series':
        only('triggers');
        args.triggers.series = true;
        return true;
      case '--from':
        only('hysteresis');
        args.spec.from = read.number(0, 'a factor > 0', true);
        return true;
      case '--to':
        only('hysteresis');
        args.spec.to = read.number(0, 'a factor > 0', true);
        return true;
      case '--steps':
        only('hysteresis');
        args.spec.steps = read.whole(2);
        return true;
      case '--dwell':
        only('hysteresis');
        args.spec.dwell = read.duration();
        return true;
      case '--settle':
        only('hysteresis');
        args.hyst.settle = read.number(0, 'a fraction in [0, 1)');
        return true;
      default:
        return false;
    }
  };
  try {
    const scan = scanArgs(argv, handle);
    if (scan.help) return { ok: false, message: EXPERIMENTS_USAGE };
    if (scan.file === null) return { ok: false, message: `analyze ${what}: which model file?\n${EXPERIMENTS_USAGE}` };
    args.file = scan.file;
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n${EXPERIMENTS_USAGE}` };
  }
  return { ok: true, args };
}

/** Exit status as in docs/cli.md: 0 ok, 2 invalid model, 3 not applicable / cannot run, 64 usage, 66 unreadable. */
export async function experimentsMain(what: What, argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parse(what, argv);
  if (!parsed.ok) {
    io.err(parsed.message + '\n');
    return argv.includes('--help') || argv.includes('-h') ? 0 : 64;
  }
  const a = parsed.args;
  const input = readInput(a.file);
  if (!input.ok) {
    io.err(input.message + '\n');
    return 66;
  }
  const text = input.text;
  let loaded = load(text);
  if (loaded.ok && a.sets.length > 0) {
    const edited = applyEdits(loaded.value.doc, a.sets);
    if (!edited.ok) {
      io.err(`${a.file}: ${edited.message}\n`);
      return 64;
    }
    loaded = load(edited.doc);
  }
  if (!loaded.ok) {
    io.err(`${a.file}: the model is not valid${a.sets.length ? ` after ${a.sets.map((e) => e.text).join(', ')}` : ''}:\n`);
    for (const i of loaded.issues) io.err(`  ${i.path}: ${i.message}\n`);
    return 2;
  }
  const model = loaded.value.model;
  const unsimulable = checkSimulable(model);
  if (unsimulable.length > 0) {
    io.err(`${a.file}: the model cannot be simulated yet:\n`);
    for (const i of unsimulable) io.err(`  ${i.path}: ${i.message}\n`);
    return 3;
  }
  return what === 'triggers' ? await triggers(model, a, io) : await ramp(model, a, io);
}

/** Problems with the command line's own values (grid, spec, options) are usage errors; the model's are 3. */
const exitFor = (issues: { path: string }[]) => (issues.every((i) => /^(grid|spec|options)\./.test(i.path)) ? 64 : 3);

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x));
const ci = (e: { mean: number; ci: [number, number] }) => `${fmt(e.mean)} [${fmt(e.ci[0])}, ${fmt(e.ci[1])}]`;

/** Infinity (a request with no timeout lives forever) is written as null, as JSON has no ∞. */
const json = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';

/**
 * The plan's jobs on `workers` threads (ExperimentRunner over worker_threads), or in this thread
 * when 1. The merge is in index order either way, so the output is the same (tested).
 */
async function onThreads<T>(workers: number, jobs: number, run: (r: ExperimentRunner) => Promise<T>): Promise<T> {
  const runner = new ExperimentRunner({ maxWorkers: Math.min(workers, Math.max(1, jobs)), createWorker: experimentWorker });
  try {
    return await run(runner);
  } finally {
    runner.dispose();
  }
}

async function triggers(model: NormalizedModel, a: Args, io: Io): Promise<number> {
  // Missing axes come from the model: base load 1, its own `rate` fault on the client.
  const clientId = a.triggers.client ?? model.nodes.find((n) => n.kind === 'client' && n.params.mode === 'open')?.id;
  const fault = model.faults.find((f) => f.target === clientId && f.action === 'rate');
  const grid: TriggerGrid = {
    baseLoad: a.grid.baseLoad ?? [1],
    triggerRate: a.grid.triggerRate ?? (fault ? [fault.value] : []),
    triggerLength: a.grid.triggerLength ?? (fault ? [fault.for] : [])
  };
  if (grid.triggerRate.length === 0 || grid.triggerLength.length === 0) {
    io.err(`${a.file}: the model has no rate fault on its client to take the trigger from; give --rate and --length\n${EXPERIMENTS_USAGE}\n`);
    return 64;
  }
  let r: ReturnType<typeof triggerSweep>;
  if (a.workers <= 1) r = triggerSweep(model, grid, a.triggers);
  else {
    const plan = planTriggerSweep(model, grid, a.triggers);
    r = plan.ok
      ? { ok: true, value: await onThreads(a.workers, plan.value.points.length * plan.value.replications, (runner) => runner.triggerSweep(plan.value)) }
      : plan;
  }
  if (!r.ok) {
    io.err(`${a.file}: cannot run the sweep:\n`);
    for (const i of r.issues) io.err(`  ${i.path}: ${i.message}\n`);
    return exitFor(r.issues);
  }
  if (a.json) {
    io.out(json({ format: 'systems-sandbox/trigger-sweep', version: 1, ...r.value }));
    return 0;
  }
  io.out(formatTriggers(r.value));
  return 0;
}

export function formatTriggers(v: TriggerSweepResult): string {
  const c = v.criteria;
  const lines = [
    `${v.model}: trigger sweep of client "${v.client}" (rate ${fmt(v.rate)}/s at base load 1), trigger at ${fmt(v.at)} s, ${v.replications} replications`,
    `  healthy window: goodput ≥ ${fmt(1 - c.tolerance)} × offered over ${fmt(c.window)} s; slow recovery: after max(${fmt(c.slowFactor)} × trigger length, 2 × ${fmt(c.lifetime)} s, one window)`,
    v.analytic.applicable ? `  fluid model (T(q) ${v.analytic.timeoutModel}) beside each point${v.analytic.notes.map((n) => `\n  note: ${n}`).join('')}` : `  fluid model: ${v.analytic.notApplicable}`,
    '',
    ['base', 'rate/s', 'trigger/s', 'length s', 'class', 'stable/vuln/meta/over', 'recovery s', 'final goodput/s', 'offered/s', 'fluid', 'agree'].join('\t')
  ];
  for (const p of v.points) {
    lines.push(
      [
        fmt(p.baseLoad),
        fmt(p.rate),
        fmt(p.triggerRate),
        fmt(p.triggerLength),
        p.class,
        `${p.counts.stable}/${p.counts.vulnerable}/${p.counts.metastable}/${p.counts.overloaded}`,
        p.recoveryTime ? `${ci(p.recoveryTime)} (${p.recoveryTime.recovered})` : '—',
        ci(p.finalGoodput),
        fmt(p.finalOffered.mean),
        p.analytic.applicable ? p.analytic.class : '—',
        p.agrees === null ? '—' : p.agrees ? 'yes' : 'NO'
      ].join('\t')
    );
  }
  return lines.join('\n') + '\n';
}

async function ramp(model: NormalizedModel, a: Args, io: Io): Promise<number> {
  const spec: HysteresisSpec = { from: a.spec.from ?? 0.5, to: a.spec.to ?? 2, steps: a.spec.steps ?? 5, dwell: a.spec.dwell ?? 300 };
  let r: ReturnType<typeof hysteresis>;
  if (a.workers <= 1) r = hysteresis(model, spec, a.hyst);
  else {
    const plan = planHysteresis(model, spec, a.hyst);
    r = plan.ok ? { ok: true, value: await onThreads(a.workers, plan.value.replications, (runner) => runner.hysteresis(plan.value)) } : plan;
  }
  if (!r.ok) {
    io.err(`${a.file}: cannot run the ramp:\n`);
    for (const i of r.issues) io.err(`  ${i.path}: ${i.message}\n`);
    return exitFor(r.issues);
  }
  if (a.json) {
    io.out(json({ format: 'systems-sandbox/hysteresis', version: 1, ...r.value }));
    return 0;
  }
  io.out(formatHysteresis(r.value));
  return 0;
}

export function formatHysteresis(v: HysteresisResult): string {
  const lines = [
    `${v.model}: load ramp of client "${v.client}" from ${fmt(v.spec.from)}× to ${fmt(v.spec.to)}× ${fmt(v.rate)}/s and back, ${v.spec.steps} levels of ${fmt(v.spec.dwell)} s (measured after ${fmt(v.settle * 100)}% of each), ${v.replications} replications`,
    v.analytic.applicable ? '  fluid model: steady states at each load beside it' : `  fluid model: ${v.analytic.notApplicable}`,
    '',
    ['rate/s', 'goodput up/s', 'goodput down/s', 'up − down', 'differs', 'fluid'].join('\t')
  ];
  for (const l of v.levels) {
    lines.push(
      [
        fmt(l.rate),
        ci(l.up.goodput),
        l.down ? ci(l.down.goodput) : '— (peak)',
        l.difference ? ci(l.difference) : '—',
        l.differs ? 'YES' : 'no',
        l.analytic ? [l.analytic.drained ? 'drained' : '', l.analytic.stuck ? 'stuck' : ''].filter(Boolean).join('+') || 'none' : '—'
      ].join('\t')
    );
  }
  lines.push('', v.differsAt.length > 0 ? `history matters at ${v.differsAt.map((f) => `${fmt(f * v.rate)}/s`).join(', ')}` : 'no load where up and down differ beyond their intervals');
  return lines.join('\n') + '\n';
}
