/**
 * The command-line scanner the CLI's parsers share (sim.ts, analyze.ts, experiments.ts): it
 * walks argv, hands each option to the command's own handler with a reader for its value, and
 * keeps the rules every command has in common, so they word their errors the same way:
 *  - `-h`/`--help` asks for the usage;
 *  - an option the handler does not know is an error ("unknown option --x");
 *  - an option missing its value is an error ("--seed needs a value");
 *  - one model file at a time.
 * Errors are thrown as `Error` with a message meant for the user; the caller adds its usage.
 */
import { readFileSync } from 'node:fs';
import { parseDuration, parseRate } from '../lib/model/index';

/** Reads the value of the option being handled; every message names the option. */
export class OptionReader {
  readonly #argv: readonly string[];
  readonly #start: number;
  #next: number;
  /** `next`: the index in argv just after the option. */
  constructor(
    readonly option: string,
    argv: readonly string[],
    next: number
  ) {
    this.#argv = argv;
    this.#start = next;
    this.#next = next;
  }

  /** How many argv entries the handler took as this option's values. */
  get consumed(): number {
    return this.#next - this.#start;
  }

  /** The next argument, raw. */
  value(): string {
    const v = this.#argv[this.#next];
    if (v === undefined) throw new Error(`${this.option} needs a value`);
    this.#next++;
    return v;
  }

  /** A finite number ≥ min (> min when strict); `what` says what was expected. */
  number(min: number, what: string, strict = false): number {
    const raw = this.value();
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < min || (strict && v === min)) throw new Error(`${this.option}: expected ${what}, got "${raw}"`);
    return v;
  }

  /** A whole number ≥ min. */
  whole(min: number): number {
    const raw = this.value();
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min) throw new Error(`${this.option}: expected a whole number ≥ ${min}, got "${raw}"`);
    return v;
  }

  /** A duration with its unit ("5 s", "200ms"), in seconds. */
  duration(raw = this.value()): number {
    const r = parseDuration(raw);
    if (!r.ok) throw new Error(`${this.option}: ${r.message}`);
    return r.value;
  }

  /** A rate with its unit ("20/s"), per second. */
  rate(raw = this.value()): number {
    const r = parseRate(raw);
    if (!r.ok) throw new Error(`${this.option}: ${r.message}`);
    return r.value;
  }

  /** A comma-separated list, each item read by `item` (empty items ignored). */
  list<T>(item: (raw: string) => T): T[] {
    return this.value()
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(item);
  }

  /** Refuse this option unless the command is `wanted` (options of one sub-command). */
  only<W extends string>(current: W, wanted: W): void {
    if (current !== wanted) throw new Error(`${this.option} is an option of "analyze ${wanted}"`);
  }
}

/** Handles one option and returns true, or returns false when it does not know it. */
export type OptionHandler = (option: string, read: OptionReader) => boolean;

export type Scan = { help: true } | { help: false; file: string | null };

/** Walk argv: options to `handle`, at most one positional argument (the model file). */
export function scanArgs(argv: readonly string[], handle: OptionHandler): Scan {
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return { help: true };
    if (a.startsWith('-')) {
      const read = new OptionReader(a, argv, i + 1);
      if (!handle(a, read)) throw new Error(`unknown option ${a}`);
      i += read.consumed;
      continue;
    }
    if (file !== null) throw new Error(`one model file at a time (got "${file}" and "${a}")`);
    file = a;
  }
  return { help: false, file };
}

/**
 * A file's text for a command (a model, a script, an environment), or the message every command
 * prints when it cannot be read ("m.json: cannot read the file (ENOENT)") or is larger than
 * `limit` bytes.
 */
export function readInput(path: string, limit = Infinity): { ok: true; text: string } | { ok: false; message: string } {
  try {
    const buf = readFileSync(path);
    if (buf.length > limit) return { ok: false, message: `${path}: ${buf.length} bytes is more than the ${limit} this reads` };
    return { ok: true, text: buf.toString('utf8') };
  } catch (e) {
    return { ok: false, message: `${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}
