/**
 * `npm run sim -- analyze shell <script.sh> [--json] [--env FILE] [--models DIR] [--run] [--mechanism M]`
 *
 * Static analysis of a shell program (PAPERS.md §5): hazards with locations, file-system effects
 * and pipe shapes; nothing is ever executed. `--env FILE` supplies the just-in-time environment
 * as JSON `{ "vars": {"DIR": "/srv"}, "files": ["/srv/a"], "cwd": "/home/me" }`; the report then
 * resolves expansions and says which deferred findings became errors or disappeared. The JSON is
 * documented in docs/cli.md. `--models DIR` writes each pipeline's model (src/lib/shell/pipelineModel.ts)
 * to DIR/pipeline-LINE-COLUMN.json; `--run` simulates each and prints its throughput and bottleneck
 * stage; `--mechanism` picks how the shell starts each command. Exit status: 0 analysed (whatever was found), 2 syntax errors,
 * 64 bad command line, 66 unreadable file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from '../lib/model/index';
import { simulate } from '../lib/sim/index';
import { readInput } from './args';
import { analyzeShell, type PipelineInfo, type ShellEnv, type ShellReport } from '../lib/shell/index';
import { pipelineBottleneck, pipelineToModel, planPipeline, type PipelineVerdict, type SpawnMechanism } from '../lib/shell/pipelineModel';

const USAGE = 'usage: sandbox-sim analyze shell <script.sh> [--json] [--env FILE] [--models DIR] [--run] [--mechanism fork-exec|posix_spawn|spork]';
const MECHANISMS = ['fork-exec', 'posix_spawn', 'spork'];
/** Scripts and environments are untrusted input: refuse what no real script needs. */
const MAX_SCRIPT_BYTES = 2_000_000;
const MAX_ENV_BYTES = 1_000_000;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Check an environment file's contents; a located message for anything off. */
export function parseEnv(text: string, file: string): { ok: true; env: ShellEnv } | { ok: false; message: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${file}: not JSON (${(e as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { ok: false, message: `${file}: expected an object {vars, files, cwd}` };
  }
  const o = v as Record<string, unknown>;
  const env: ShellEnv = {};
  if (o.vars !== undefined) {
    if (typeof o.vars !== 'object' || o.vars === null || Array.isArray(o.vars)) {
      return { ok: false, message: `${file}: vars: expected an object of names to strings` };
    }
    const vars: Record<string, string> = {};
    for (const [k, val] of Object.entries(o.vars)) {
      if (typeof val !== 'string') return { ok: false, message: `${file}: vars.${k}: expected a string, got ${JSON.stringify(val)}` };
      vars[k] = val;
    }
    env.vars = vars;
  }
  if (o.files !== undefined) {
    if (!Array.isArray(o.files) || o.files.some((f) => typeof f !== 'string')) {
      return { ok: false, message: `${file}: files: expected a list of paths (strings)` };
    }
    env.files = o.files as string[];
  }
  if (o.cwd !== undefined) {
    if (typeof o.cwd !== 'string') return { ok: false, message: `${file}: cwd: expected a path (a string)` };
    env.cwd = o.cwd;
  }
  return { ok: true, env };
}

function formatReport(file: string, r: ShellReport): string {
  const lines: string[] = [];
  if (r.findings.length === 0) lines.push(`${file}: no findings`);
  for (const f of r.findings) {
    lines.push(`${file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}${f.deferred ? ', deferred' : ''}]`);
  }
  if (r.effects.length > 0) {
    lines.push('', 'file-system effects:');
    for (const e of r.effects) {
      const parts = [
        e.reads.length ? `reads ${e.reads.join(', ')}` : '',
        e.writes.length ? `writes ${e.writes.join(', ')}` : '',
        e.creates.length ? `creates ${e.creates.join(', ')}` : '',
        e.deletes.length ? `deletes ${e.deletes.join(', ')}` : ''
      ].filter(Boolean);
      lines.push(`  line ${e.line}: ${e.command}: ${parts.join('; ')}`);
    }
  }
  if (r.jit) {
    lines.push('', 'with the supplied environment:');
    for (const c of r.jit.changes) lines.push(`  line ${c.line}:${c.column} ${c.rule}: ${c.outcome}${c.after ? ` — ${c.after}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** What `--models`/`--run` add to a pipeline in the JSON (docs/cli.md). */
interface PipelineExtras {
  modelFile?: string;
  run?: PipelineVerdict & { expected: { stage: number; command: string; capacity: number } };
}

/** The pipeline's model: written to `dir` and/or simulated. */
function pipelineWork(p: PipelineInfo, mechanism: SpawnMechanism, dir: string, run: boolean): PipelineExtras {
  const doc = pipelineToModel(p, { mechanism });
  const extras: PipelineExtras = {};
  if (dir) {
    mkdirSync(dir, { recursive: true });
    extras.modelFile = join(dir, `pipeline-${p.line}-${p.column}.json`);
    writeFileSync(extras.modelFile, JSON.stringify(doc, null, 2) + '\n');
  }
  if (run) {
    const loaded = load(doc);
    if (!loaded.ok) throw new Error(`the model of the pipeline at line ${p.line} is invalid: ${JSON.stringify(loaded)}`);
    const { summary } = simulate(loaded.value.model);
    const plan = planPipeline(p, { mechanism });
    const b = plan.stages[plan.bottleneck];
    extras.run = { ...pipelineBottleneck(summary, doc), expected: { stage: plan.bottleneck, command: b.text, capacity: b.capacity } };
  }
  return extras;
}

const mbps = (x: number) => `${(x / 1e6).toFixed(1)} MB/s`;

function formatPipelines(report: ShellReport, extras: PipelineExtras[]): string {
  const lines: string[] = [];
  report.pipelines.forEach((p, i) => {
    const x = extras[i];
    if (!x || (!x.run && !x.modelFile)) return;
    lines.push(`pipeline at line ${p.line}: ${p.stages.map((s) => s.command).join(' | ')}`);
    if (x.modelFile) lines.push(`  model: ${x.modelFile}`);
    if (x.run) {
      const r = x.run;
      lines.push(`  throughput: ${mbps(r.throughput.mean)} of input (CI ${mbps(r.throughput.ci[0])} – ${mbps(r.throughput.ci[1])})`);
      lines.push(`  bottleneck: stage ${r.bottleneck.stage + 1} (${r.bottleneck.command}), busy ${(100 * r.bottleneck.utilisation).toFixed(1)}%`);
      lines.push(`  catalogue bound: stage ${r.expected.stage + 1} (${r.expected.command}) at ${mbps(r.expected.capacity)}`);
    }
  });
  return lines.length ? '\n' + lines.join('\n') + '\n' : '';
}

export async function analyzeShellMain(argv: string[], io: Io = stdio): Promise<number> {
  let file = '';
  let envFile = '';
  let json = false;
  let modelsDir = '';
  let run = false;
  let mechanism: SpawnMechanism = 'fork-exec';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--run') run = true;
    else if (a === '--models') {
      modelsDir = argv[++i] ?? '';
      if (!modelsDir) {
        io.err(`--models needs a directory\n${USAGE}\n`);
        return 64;
      }
    } else if (a === '--mechanism') {
      const m = argv[++i] ?? '';
      if (!MECHANISMS.includes(m)) {
        io.err(`--mechanism: expected one of ${MECHANISMS.join(', ')}, got "${m}"\n${USAGE}\n`);
        return 64;
      }
      mechanism = m as SpawnMechanism;
    } else if (a === '--env') {
      envFile = argv[++i] ?? '';
      if (!envFile) {
        io.err(`--env needs a file\n${USAGE}\n`);
        return 64;
      }
    } else if (a === '-h' || a === '--help') {
      io.err(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) {
      io.err(`unknown option ${a}\n${USAGE}\n`);
      return 64;
    } else if (file) {
      io.err(`one script at a time (got "${file}" and "${a}")\n${USAGE}\n`);
      return 64;
    } else file = a;
  }
  if (!file) {
    io.err(USAGE + '\n');
    return 64;
  }
  const script = readInput(file, MAX_SCRIPT_BYTES);
  if (!script.ok) {
    io.err(script.message + '\n');
    return 66;
  }
  let env: ShellEnv | undefined;
  if (envFile) {
    const t = readInput(envFile, MAX_ENV_BYTES);
    if (!t.ok) {
      io.err(t.message + '\n');
      return 66;
    }
    const e = parseEnv(t.text, envFile);
    if (!e.ok) {
      io.err(e.message + '\n');
      return 64;
    }
    env = e.env;
  }
  const report = await analyzeShell(script.text, env);
  const extras = modelsDir || run ? report.pipelines.map((p) => pipelineWork(p, mechanism, modelsDir, run)) : [];
  if (json) {
    const out = extras.length ? { ...report, pipelines: report.pipelines.map((p, i) => ({ ...p, ...extras[i] })) } : report;
    io.out(JSON.stringify(out, null, 2) + '\n');
  } else io.out(formatReport(file, report) + formatPipelines(report, extras));
  return report.findings.some((f) => f.rule === 'syntax') ? 2 : 0;
}
