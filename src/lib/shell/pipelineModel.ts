/**
 * A shell pipeline as a runnable model (PAPERS.md §5, issue #7 "Pipelines as models").
 *
 * The unit of work is a **chunk**: one `chunkBytes` (4 KiB, PIPE_BUF and the usual size of one
 * `write` to a pipe) of the pipeline's *input*. Every chunk is one request that flows through
 * every stage in order, so the sink's throughput × chunkBytes is the pipeline's throughput in
 * input bytes per second.
 *
 * Per stage (`cmd`), left to right:
 *   pipe (queue, `onFull: "block"`) → spawner (the shell's fork of `cmd`) → hand-off (queue of
 *   capacity 0, `onFull: "block"`) → `cmd` (server: its processing of the chunk)
 * and the first stage reads from `file` (an unbounded queue: the unread input) instead of a pipe.
 *
 *  - The spawner pays the mechanism's spawn cost (fork-exec, posix_spawn or spork with the
 *    calibrated defaults of src/lib/model/kinds/spawner.ts) once per input file: its
 *    `requestsPerSpawn` is the number of chunks in `inputBytes`, so the first chunk of every file
 *    waits for the process to start and the rest pass the parent at no cost.
 *  - The hand-off of capacity 0 is a rendezvous: the spawner holds the next chunk (blocked) until
 *    the stage's process is free, so the spawner never buffers more than one chunk and the pipe's
 *    back-pressure reaches the writer. A pipe of `bufferBytes` therefore holds
 *    floor(bufferBytes / chunk) − 1 chunks in its queue plus the one the spawner holds.
 *  - The server's service time per chunk is deterministic: bytes seen per chunk / the stage's
 *    throughput from the catalogue (bytes/s, or lines/s × `lineBytes`).
 *  - Source: a closed client whose users (think time 0) keep more chunks in flight than the
 *    pipeline can hold, so the first stage never starves (a file read as fast as the pipeline
 *    goes); a chunk completes at the sink and its user sends the next. An open client could not
 *    be blocked (a blocking queue rejects what an open source offers when full).
 *
 * Simplifications (documented in README.md): `sort` (and `tac`, `shuf`) is a barrier in reality —
 * it emits only after reading all its input — but the model treats it as a streaming stage at its
 * catalogue rate. That gives the right steady-state throughput over a stream of files (every byte
 * still passes through sort at its rate) but not the latency of one file, where the stages after
 * the barrier cannot overlap with those before it (`pipelineFileTime` gives that estimate).
 * Stages see the bytes their predecessors keep (`keeps`, default 1: the whole input, an upper
 * bound on the work of stages after a filter; edit the catalogue to model a selective grep).
 *
 * Pure TypeScript, no DOM; relative imports only.
 */
import { MODEL_FORMAT, MODEL_VERSION, type EdgeInput, type ModelDocument, type NodeInput } from '../model/types';
import type { SimSummary } from '../sim/results';
import type { PipelineInfo, PipelineStage } from './types';

export type SpawnMechanism = 'fork-exec' | 'posix_spawn' | 'spork';

/** One utility's processing rate. */
export interface StageSpec {
  /** Throughput in `unit`. */
  rate: number;
  unit: 'bytes/s' | 'lines/s';
  /** One line: why this number (what dominates the cost). */
  why: string;
  /** True when the stage emits only after reading all its input (sort): see the simplification above. */
  barrier?: boolean;
  /** Fraction of its input bytes it passes on (default 1). */
  keeps?: number;
}

/** Utility name → its spec; `*` is the fallback for unknown commands. */
export type StageCatalogue = Record<string, StageSpec>;

/**
 * Rough single-core rates of GNU coreutils/grep/gawk on text with ~100-byte lines, page cache
 * warm, LC_ALL=C (a UTF-8 locale slows sort and grep several-fold). Orders of magnitude, not
 * measurements of your machine: edit them (the `catalogue` option merges over these).
 */
export const DEFAULT_STAGE_CATALOGUE: StageCatalogue = {
  cat: { rate: 2e9, unit: 'bytes/s', why: 'read from the page cache and write to the pipe: memory copies only' },
  grep: { rate: 1e9, unit: 'bytes/s', why: 'fixed strings and simple patterns are Boyer–Moore/DFA scans over the buffer' },
  cut: { rate: 300e6, unit: 'bytes/s', why: 'splits every line on the delimiter and copies the selected fields' },
  sort: { rate: 40e6, unit: 'bytes/s', why: 'n log n line comparisons and a merge; a barrier (emits after its last input)', barrier: true },
  uniq: { rate: 3e6, unit: 'lines/s', why: 'one comparison with the previous line per line' },
  wc: { rate: 1e9, unit: 'bytes/s', why: 'counts newlines (and words with -w, slower) in one pass' },
  awk: { rate: 1.5e6, unit: 'lines/s', why: 'per record: split into fields and run the program in an interpreter' },
  head: { rate: 2e9, unit: 'bytes/s', why: 'copies the first lines and exits (the writer then gets SIGPIPE)' },
  tail: { rate: 1e9, unit: 'bytes/s', why: 'keeps the last lines in a ring buffer while scanning all input' },
  tr: { rate: 500e6, unit: 'bytes/s', why: 'one table lookup per byte' },
  sed: { rate: 150e6, unit: 'bytes/s', why: 'per line: a regex match and substitution in an interpreter' },
  '*': { rate: 100e6, unit: 'bytes/s', why: 'unknown command: a generic line-oriented filter' }
};

/** One write to a pipe: PIPE_BUF on Linux, and the size coreutils and the kernel move at once. */
/**
 * The gallery's log-pipeline scenario (static/models/log-pipeline.json): the script it is built
 * from and its title. scripts/make-pipeline-scenario.ts writes the file; a test checks it is current.
 */
export const LOG_PIPELINE_SCENARIO = {
  script: `cat access.log | grep ' 500 ' | cut -d' ' -f7 | sort | uniq -c | sort -rn | head\n`,
  title: 'Log pipeline: the top URLs of server errors'
} as const;

export const PIPE_CHUNK_BYTES = 4096;
/** Linux's default pipe buffer: 16 pages. */
export const DEFAULT_PIPE_BUFFER = 65536;
/** The default size of one input file (the spawn cost is paid once per file). */
export const DEFAULT_INPUT_BYTES = 16 * 1024 * 1024;
/** Mean line length assumed to convert lines/s rates. */
export const DEFAULT_LINE_BYTES = 100;

export interface PipelineModelOptions {
  /** How the shell starts each command (default fork-exec, like bash). */
  mechanism?: SpawnMechanism;
  /** Each pipe's buffer, bytes (default 64 KiB). */
  bufferBytes?: number;
  /** Merged over DEFAULT_STAGE_CATALOGUE. */
  catalogue?: StageCatalogue;
  /** Bytes per input file (default 16 MiB): one spawn per stage per file. */
  inputBytes?: number;
  /** The model's name (default: the pipeline's text). */
  title?: string;
  /** Mean line length for lines/s rates (default 100 bytes). */
  lineBytes?: number;
  /** Replications (default 5). */
  replications?: number;
  /** Simulated time, seconds (default: about 6 input files at the bottleneck's rate, at least 1 s). */
  until?: number;
}

/** A stage's resolved numbers. */
export interface StagePlan {
  command: string;
  text: string;
  spec: StageSpec;
  /** Whether the command was found in the catalogue (else `*`). */
  known: boolean;
  /** Its throughput in bytes of its own input per second. */
  bytesPerSecond: number;
  /** Fraction of the pipeline's input bytes this stage sees. */
  share: number;
  /** The most pipeline-input bytes per second it can take: bytesPerSecond / share. */
  capacity: number;
  /** Service time per chunk, seconds. */
  service: number;
  /** Node ids of this stage. */
  ids: { pipe: string; spawner: string; handoff: string; server: string };
}

export interface PipelinePlan {
  stages: StagePlan[];
  chunkBytes: number;
  bufferBytes: number;
  inputBytes: number;
  lineBytes: number;
  /** Chunks per input file (the spawner's requestsPerSpawn). */
  chunksPerFile: number;
  /** Capacity of each pipe queue in chunks (index i: the pipe into stage i; index 0 unused). */
  pipeChunks: number[];
  /** The stage with the smallest capacity (first of ties) and the pipeline's bound, input bytes/s. */
  bottleneck: number;
  capacity: number;
}

const basename = (c: string) => c.slice(c.lastIndexOf('/') + 1);
/** An argument as one would type it: quoted when it holds blanks or shell metacharacters. */
const quote = (a: string) => (a === '' || /[\s'"|&;<>()$`\\*?[\]#~]/.test(a) ? (a.includes("'") ? JSON.stringify(a) : `'${a}'`) : a);

/**
 * The catalogue entry for a command (basename; gawk/mawk → awk, egrep/fgrep → grep). `key` is the
 * catalogue key it was found under (`*` when unknown), so an editor can show one row per entry.
 */
export function lookupStage(command: string, catalogue: StageCatalogue = DEFAULT_STAGE_CATALOGUE): { spec: StageSpec; known: boolean; key: string } {
  const name = basename(command);
  const alias: Record<string, string> = { gawk: 'awk', mawk: 'awk', nawk: 'awk', egrep: 'grep', fgrep: 'grep', gsed: 'sed', zcat: 'cat' };
  for (const key of [name, alias[name]]) {
    if (key && Object.prototype.hasOwnProperty.call(catalogue, key)) return { spec: catalogue[key], known: true, key };
  }
  return { spec: catalogue['*'] ?? DEFAULT_STAGE_CATALOGUE['*'], known: false, key: '*' };
}

function checkPositive(x: number | undefined, what: string): void {
  if (x !== undefined && !(Number.isFinite(x) && x > 0)) throw new RangeError(`pipelineToModel: ${what} must be a positive number, got ${x}`);
}

/** The numbers behind the model, without building it. */
export function planPipeline(pipeline: PipelineInfo, options: PipelineModelOptions = {}): PipelinePlan {
  if (pipeline.stages.length === 0) throw new RangeError(`pipelineToModel: the pipeline at line ${pipeline.line} has no stages`);
  checkPositive(options.bufferBytes, 'bufferBytes');
  checkPositive(options.inputBytes, 'inputBytes');
  checkPositive(options.lineBytes, 'lineBytes');
  const catalogue = { ...DEFAULT_STAGE_CATALOGUE, ...(options.catalogue ?? {}) };
  for (const [name, s] of Object.entries(catalogue)) {
    if (!(Number.isFinite(s.rate) && s.rate > 0)) throw new RangeError(`pipelineToModel: catalogue["${name}"].rate must be a positive number, got ${s.rate}`);
    if (s.unit !== 'bytes/s' && s.unit !== 'lines/s') throw new RangeError(`pipelineToModel: catalogue["${name}"].unit must be "bytes/s" or "lines/s", got ${String(s.unit)}`);
    if (s.keeps !== undefined && !(s.keeps > 0 && s.keeps <= 1)) throw new RangeError(`pipelineToModel: catalogue["${name}"].keeps must be in (0, 1], got ${s.keeps}`);
  }
  const chunkBytes = PIPE_CHUNK_BYTES;
  const bufferBytes = options.bufferBytes ?? DEFAULT_PIPE_BUFFER;
  const inputBytes = options.inputBytes ?? DEFAULT_INPUT_BYTES;
  const lineBytes = options.lineBytes ?? DEFAULT_LINE_BYTES;
  let share = 1;
  const stages: StagePlan[] = pipeline.stages.map((st: PipelineStage, i) => {
    const { spec, known } = lookupStage(st.command, catalogue);
    const bytesPerSecond = spec.unit === 'bytes/s' ? spec.rate : spec.rate * lineBytes;
    const plan: StagePlan = {
      command: basename(st.command),
      text: [st.command, ...st.args].map(quote).join(' '),
      spec,
      known,
      bytesPerSecond,
      share,
      capacity: bytesPerSecond / share,
      service: (chunkBytes * share) / bytesPerSecond,
      ids: { pipe: i === 0 ? 'file' : `q${i + 1}`, spawner: `s${i + 1}`, handoff: `h${i + 1}`, server: `p${i + 1}` }
    };
    share *= spec.keeps ?? 1;
    return plan;
  });
  // The pipe into stage i carries what stage i−1 kept: chunkBytes × stage i's share per chunk.
  const pipeChunks = stages.map((s, i) => (i === 0 ? Infinity : Math.max(0, Math.floor(bufferBytes / (chunkBytes * s.share)) - 1)));
  let bottleneck = 0;
  stages.forEach((s, i) => {
    if (s.capacity < stages[bottleneck].capacity) bottleneck = i;
  });
  return {
    stages,
    chunkBytes,
    bufferBytes,
    inputBytes,
    lineBytes,
    chunksPerFile: Math.max(1, Math.ceil(inputBytes / chunkBytes)),
    pipeChunks,
    bottleneck,
    capacity: stages[bottleneck].capacity
  };
}

const bytes = (n: number) =>
  n % 1048576 === 0 ? `${n / 1048576} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
const rateText = (s: StageSpec) => {
  const [x, unit] = s.rate >= 1e9 ? [s.rate / 1e9, 'G'] : s.rate >= 1e6 ? [s.rate / 1e6, 'M'] : [s.rate / 1e3, 'k'];
  return `${Number(x.toPrecision(3))} ${unit}${s.unit === 'bytes/s' ? 'B/s' : ' lines/s'}`;
};

/** Seconds for a document, to 6 significant digits (short in a share link; 1e-6 relative). */
const secs = (x: number) => `${Number(x.toPrecision(6))} s`;

/** The pipeline as a model document (passes `restore()`; runs in the engine). */
export function pipelineToModel(pipeline: PipelineInfo, options: PipelineModelOptions = {}): ModelDocument {
  const plan = planPipeline(pipeline, options);
  const mechanism = options.mechanism ?? 'fork-exec';
  const text = plan.stages.map((s) => s.text).join(' | ');
  const filesTime = plan.inputBytes / plan.capacity;
  const until = options.until ?? Math.max(1, Number((6 * filesTime).toPrecision(2)));
  // More chunks in flight than the pipeline can hold: every pipe full, one chunk at each
  // spawner and each process, and the rest waiting unread in `file`.
  const inFlight = plan.pipeChunks.slice(1).reduce((a, b) => a + b, 0) + 2 * plan.stages.length + 8;

  const X0 = 60;
  const DX = 130;
  const nodes: NodeInput[] = [
    { id: 'src', kind: 'client', label: 'Reader', x: X0, y: 100, params: { mode: 'closed', users: inFlight, thinkTime: 0 } },
    { id: 'file', kind: 'queue', label: 'Unread input', x: X0, y: 220 }
  ];
  const edges: EdgeInput[] = [{ id: 'e0', from: 'src.out', to: 'file.in' }];
  let prev = 'file';
  let x = X0 + DX;
  plan.stages.forEach((s, i) => {
    const { pipe, spawner, handoff, server } = s.ids;
    if (i > 0) {
      nodes.push({ id: pipe, kind: 'queue', label: `pipe ${i}`, x, y: 220, params: { capacity: plan.pipeChunks[i], onFull: 'block' } });
      edges.push({ id: `e${pipe}`, from: `${prev}.out`, to: `${pipe}.in` });
      x += DX;
    }
    const spawn: Record<string, unknown> = { mechanism, requestsPerSpawn: plan.chunksPerFile };
    nodes.push({ id: spawner, kind: 'spawner', label: `start ${s.command}`, x, y: 100, params: spawn });
    nodes.push({ id: handoff, kind: 'queue', label: 'stdin', x: x + DX / 2, y: 160, params: { capacity: 0, onFull: 'block' } });
    nodes.push({ id: server, kind: 'server', label: s.text.length > 28 ? `${s.text.slice(0, 27)}…` : s.text, x: x + DX, y: 220, params: { service: secs(s.service) } });
    edges.push({ id: `e${spawner}`, from: `${i === 0 ? 'file' : pipe}.out`, to: `${spawner}.in` });
    edges.push({ id: `e${handoff}`, from: `${spawner}.out`, to: `${handoff}.in` });
    edges.push({ id: `e${server}`, from: `${handoff}.out`, to: `${server}.in` });
    prev = server;
    x += 2 * DX;
  });
  nodes.push({ id: 'out', kind: 'sink', label: 'stdout', x, y: 220 });
  edges.push({ id: 'eout', from: `${prev}.out`, to: 'out.in' });

  const b = plan.stages[plan.bottleneck];
  const notes =
    `${text}\n\nOne request = one ${bytes(plan.chunkBytes)} chunk of the input (one write to a pipe); each pipe holds ` +
    `${bytes(plan.bufferBytes)} and blocks its writer when full. The shell starts each command (${mechanism}) once per ` +
    `${bytes(plan.inputBytes)} input file. Rates (editable catalogue): ` +
    plan.stages.map((s) => `${s.command} ${rateText(s.spec)}${s.known ? '' : ' (unknown command: the default)'}`).join(', ') +
    `. Expected bottleneck: ${b.command} at ${Math.round(b.capacity / 1e6)} MB/s of input; look at each stage's utilisation ` +
    `(the busiest is the bottleneck), the blocked time of the stages before it, and the sink's throughput × ${plan.chunkBytes} bytes.` +
    (plan.stages.some((s) => s.spec.barrier)
      ? ' Simplification: sort is modelled as streaming at its rate; it really emits only after its last input, so one file takes longer than the steady state suggests.'
      : '');
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name: options.title ?? (text.length > 80 ? `${text.slice(0, 79)}…` : text),
    notes,
    run: { until: `${until} s`, warmup: 'auto', seed: 1, replications: options.replications ?? 5 },
    nodes,
    edges,
    faults: []
  };
}

/** What a run says about the pipeline: its throughput and the busiest stage. */
export interface PipelineVerdict {
  /** Pipeline-input bytes per second (sink chunks/s × chunkBytes), with its interval. */
  throughput: { mean: number; ci: [number, number] };
  /** The stage whose process is busiest (highest utilisation). */
  bottleneck: { stage: number; id: string; command: string; utilisation: number };
  /** Every stage's process utilisation, in order. */
  stages: { id: string; command: string; utilisation: number }[];
}

/**
 * The bottleneck stage (highest utilisation among the stages' servers) and the throughput, from
 * a run of a model built by `pipelineToModel`. Throws when the summary lacks the nodes.
 */
export function pipelineBottleneck(summary: SimSummary, model: ModelDocument, chunkBytes = PIPE_CHUNK_BYTES): PipelineVerdict {
  const servers = model.nodes.filter((n) => n.kind === 'server');
  const sink = model.nodes.find((n) => n.kind === 'sink');
  if (servers.length === 0 || !sink) throw new RangeError('pipelineBottleneck: the model has no stage servers or no sink (not built by pipelineToModel?)');
  const stages = servers.map((n) => {
    const s = summary.nodes[n.id];
    if (!s) throw new RangeError(`pipelineBottleneck: the summary has no node "${n.id}"`);
    return { id: n.id, command: n.label ?? n.id, utilisation: s.utilisation.mean };
  });
  let best = 0;
  stages.forEach((s, i) => {
    if (s.utilisation > stages[best].utilisation) best = i;
  });
  const x = summary.nodes[sink.id].throughput;
  return {
    throughput: { mean: x.mean * chunkBytes, ci: [x.ci[0] * chunkBytes, x.ci[1] * chunkBytes] },
    bottleneck: { stage: best, ...stages[best] },
    stages
  };
}

/**
 * One file's completion time with the barriers honoured: the stages between barriers stream
 * (time = bytes / slowest of them), a barrier ends a segment (its output starts after its last
 * input). Spawn costs are left out. A rough estimate beside the model's steady-state answer.
 */
export function pipelineFileTime(plan: PipelinePlan): number {
  let total = 0;
  let segMin = Infinity;
  for (const s of plan.stages) {
    segMin = Math.min(segMin, s.capacity);
    if (s.spec.barrier) {
      total += plan.inputBytes / segMin;
      segMin = Infinity;
    }
  }
  if (segMin < Infinity) total += plan.inputBytes / segMin;
  return total;
}
