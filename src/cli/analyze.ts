/**
 * `npm run sim -- analyze metastability <model.json> [--json] [options]` and
 * `npm run sim -- analyze consensus <model.json> [--json] [options]`.
 *
 * The analyses beside the simulation, headless: the metastability analysis (PAPERS.md §6) of the
 * model's client → queue → server loop, and the consensus probabilities (PAPERS.md §4) of its
 * `replicas` nodes. The model goes through the same `load()` door as the app. The JSON outputs are
 * documented in docs/cli.md (a public contract: fields are only ever added).
 */
import { readInput, scanArgs, type OptionReader } from './args';
import { load } from '../lib/model/index';
import type { NormalizedModel } from '../lib/model/types';
import {
  analyzeMetastability,
  metastabilityParamsFromModel,
  type MetastabilityReport,
  type TimeoutModel
} from '../lib/analysis/metastability/index';
import { analyzeReplicas } from '../lib/analysis/consensus/index';
import { analyzeShellMain } from './analyzeShell';

const USAGE = `usage: sandbox-sim analyze shell <script.sh> [--json] [--env FILE] [--models DIR] [--run] [--mechanism M]
       sandbox-sim analyze metastability <model.json> [--json] [--client ID]
                       [--timeout-model erlang|chebyshev|both] [--orbit-bound O] [--no-chain]
       sandbox-sim analyze consensus <model.json> [--json] [--node ID]
                       [--method exact|enumeration|monte-carlo] [--samples N] [--seed N]
       sandbox-sim analyze triggers|hysteresis <model.json> [--json] [--help for options]`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

interface Args {
  what: 'metastability' | 'consensus';
  file: string;
  json: boolean;
  client?: string;
  node?: string;
  timeoutModels: TimeoutModel[];
  orbitBound?: number;
  chain: boolean;
  method?: 'exact' | 'enumeration' | 'monte-carlo';
  samples?: number;
  seed?: number;
}

function parse(argv: string[]): { ok: true; args: Args } | { ok: false; message: string } {
  const what = argv[0];
  if (what === '--help' || what === '-h') return { ok: false, message: USAGE };
  if (what !== 'metastability' && what !== 'consensus') {
    // (shell is dispatched before parsing: its options are its own)
    return { ok: false, message: `${what === undefined ? 'analyze: which analysis?' : `analyze: unknown analysis "${what}"`}\n${USAGE}` };
  }
  const args: Args = { what, file: '', json: false, timeoutModels: ['erlang', 'chebyshev'], chain: true };
  const handle = (a: string, read: OptionReader): boolean => {
    const only = (w: Args['what']) => read.only(what, w);
    switch (a) {
      case '--json':
        args.json = true;
        return true;
      case '--client':
        only('metastability');
        args.client = read.value();
        return true;
      case '--timeout-model': {
        only('metastability');
        const v = read.value();
        if (v === 'both') args.timeoutModels = ['erlang', 'chebyshev'];
        else if (v === 'erlang' || v === 'chebyshev') args.timeoutModels = [v];
        else throw new Error('--timeout-model: expected erlang, chebyshev or both');
        return true;
      }
      case '--orbit-bound':
        only('metastability');
        args.orbitBound = read.whole(1);
        return true;
      case '--no-chain':
        only('metastability');
        args.chain = false;
        return true;
      case '--node':
        only('consensus');
        args.node = read.value();
        return true;
      case '--method': {
        only('consensus');
        const v = read.value();
        if (v !== 'exact' && v !== 'enumeration' && v !== 'monte-carlo') throw new Error('--method: expected exact, enumeration or monte-carlo');
        args.method = v;
        return true;
      }
      case '--samples':
        only('consensus');
        args.samples = read.whole(1);
        return true;
      case '--seed':
        only('consensus');
        args.seed = read.whole(0);
        return true;
      default:
        return false;
    }
  };
  try {
    const scan = scanArgs(argv.slice(1), handle);
    if (scan.help) return { ok: false, message: USAGE };
    if (scan.file === null) return { ok: false, message: `analyze ${what}: which model file?\n${USAGE}` };
    args.file = scan.file;
  } catch (e) {
    return { ok: false, message: `${(e as Error).message}\n${USAGE}` };
  }
  return { ok: true, args };
}

/** Exit status as in docs/cli.md: 0 ok, 2 invalid model, 3 analysis not applicable, 64 usage, 66 unreadable. */
export async function analyzeMain(argv: string[], io: Io = stdio): Promise<number> {
  if (argv[0] === 'shell') return analyzeShellMain(argv.slice(1), io);
  // The simulated experiments (trigger sweep, hysteresis): src/cli/experiments.ts.
  if (argv[0] === 'triggers' || argv[0] === 'hysteresis') return (await import('./experiments')).experimentsMain(argv[0], argv.slice(1), io);
  const parsed = parse(argv);
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
  const loaded = load(text);
  if (!loaded.ok) {
    io.err(`${a.file}: the model is not valid:\n`);
    for (const i of loaded.issues) io.err(`  ${i.path}: ${i.message}\n`);
    return 2;
  }
  const model = loaded.value.model;
  return a.what === 'metastability' ? metastability(model, a, io) : consensus(model, a, io);
}

/** The report without the `ok` tag (the JSON's per-timeout-model object). */
function strip(r: MetastabilityReport): Omit<MetastabilityReport, 'ok'> {
  const { ok: _ok, ...rest } = r;
  return rest;
}

function metastability(model: NormalizedModel, a: Args, io: Io): number {
  const x = metastabilityParamsFromModel(model, { client: a.client });
  if (!x.ok) {
    io.err(`${a.file}: ${x.notApplicable}\n  at ${x.path}\n`);
    return 3;
  }
  const analyses: Record<string, Omit<MetastabilityReport, 'ok'>> = {};
  for (const tm of a.timeoutModels) {
    const r = analyzeMetastability(x.params, { timeoutModel: tm, trigger: x.trigger, chain: a.chain, orbitBound: a.orbitBound });
    if (!r.ok) {
      io.err(`${a.file}: cannot analyse:\n`);
      for (const i of r.issues) io.err(`  ${i.path}: ${i.message}\n`);
      return 3;
    }
    analyses[tm] = strip(r);
  }
  if (a.json) {
    io.out(
      JSON.stringify(
        {
          format: 'systems-sandbox/metastability',
          version: 1,
          model: model.name,
          nodes: x.nodes,
          params: x.params,
          trigger: x.trigger,
          notes: x.notes,
          analyses
        },
        null,
        2
      ) + '\n'
    );
    return 0;
  }
  const p = x.params;
  const lines = [
    `${model.name}: metastability of ${x.nodes.client} → ${x.nodes.queue} → ${x.nodes.server}`,
    `  λ = ${p.arrivalRate}/s, μ = ${p.serviceRate}/s × ${p.servers}, capacity ${p.capacity} (N = ${p.capacity + p.servers}), τ = ${p.timeout} s, R = ${p.retries}`,
    ...(x.trigger ? [`  trigger: ${x.trigger.rate}/s for ${x.trigger.duration} s`] : []),
    ...x.notes.map((n) => `  note: ${n}`)
  ];
  for (const [tm, r] of Object.entries(analyses)) {
    lines.push('', `T(q) ${tm}:`);
    for (const e of r.equilibria) {
      lines.push(`  ${e.kind.padEnd(9)} q = ${e.q.toFixed(2).padStart(8)}  o = ${e.o.toFixed(2).padStart(8)}  goodput ${e.goodput.toFixed(3)}/s${e.onWall ? '  (queue full)' : ''}`);
    }
    if (r.trigger) lines.push(`  trigger: ${r.trigger.class} (ends at q = ${r.trigger.endOfTrigger.q.toFixed(1)}, o = ${r.trigger.endOfTrigger.o.toFixed(1)})`);
    const c = r.chain;
    if (c) {
      lines.push(
        `  chain: ${c.states.toLocaleString('en-US')} states (orbit ≤ ${c.orbitBound}), stationary E[q] = ${c.stationary.meanQueue.toPrecision(4)}, E[o] = ${c.stationary.meanOrbit.toPrecision(4)}, goodput ${c.stationary.goodput.toPrecision(4)}/s`,
        `  recovery from (${c.recovery.start.q}, ${c.recovery.start.o}) [${c.recovery.startReason}]: ${c.recovery.expectedTime.toPrecision(4)} s`,
        `  mixing time: ${c.mixing?.time != null ? c.mixing.time.toPrecision(4) + ' s' : c.mixing ? `> ${c.mixing.lowerBound.toPrecision(3)} s` : 'skipped'}`
      );
    }
    for (const n of r.notes) lines.push(`  note: ${n}`);
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}

function consensus(model: NormalizedModel, a: Args, io: Io): number {
  const found = model.nodes.map((n, i) => [n, i] as const).filter(([n]) => n.kind === 'replicas' && (a.node === undefined || n.id === a.node));
  if (found.length === 0) {
    io.err(`${a.file}: not applicable: ${a.node === undefined ? 'the model has no replicas node' : `there is no replicas node "${a.node}"`}\n`);
    return 3;
  }
  const nodes: Record<string, unknown> = {};
  for (const [n, i] of found) {
    const r = analyzeReplicas(n.params, { method: a.method, samples: a.samples, seed: a.seed, path: `nodes[${i}].params` });
    if (!r.ok) {
      io.err(`${a.file}: cannot analyse "${n.id}":\n`);
      for (const issue of r.issues) io.err(`  ${issue.path}: ${issue.message}\n`);
      return 3;
    }
    const { ok: _ok, ...rest } = r;
    nodes[n.id] = { id: n.id, ...rest };
  }
  if (a.json) {
    io.out(JSON.stringify({ format: 'systems-sandbox/consensus', version: 1, model: model.name, nodes }, null, 2) + '\n');
    return 0;
  }
  const lines: string[] = [];
  for (const [id, r] of Object.entries(nodes) as [string, { protocol: string; n: number; pSafe: number; pLive: number; pSafeAndLive: number; notes: string[] }][]) {
    lines.push(`${id}: ${r.protocol}, n = ${r.n}`, `  P(safe) ${r.pSafe}`, `  P(live) ${r.pLive}`, `  P(safe and live) ${r.pSafeAndLive}`, ...r.notes.map((n) => `  note: ${n}`));
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}
