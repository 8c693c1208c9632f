/**
 * The public shapes of the shell analysis: the just-in-time environment a user may supply and
 * the report. Plain data only (JSON-serialisable), so a report crosses a worker boundary as is.
 */
import type { RuleId } from './rules';
import type { Shape } from './shapes';

export type Severity = 'error' | 'warning' | 'info';

/**
 * What the user knows about the run: variable values (positional parameters as "1", "2"…),
 * the paths that exist (files; their parent directories exist too; a trailing "/" marks an
 * empty directory) and the working directory. Each part given closes the world for that part:
 * with `vars`, a variable not listed (and not a well-known one such as HOME or PATH) is unset;
 * with `files`, a path not listed does not exist.
 */
export interface ShellEnv {
  vars?: Record<string, string>;
  files?: string[];
  cwd?: string;
}

export interface Finding {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  rule: RuleId;
  /** The closest ShellCheck code, when there is one. */
  shellcheck?: string;
  severity: Severity;
  message: string;
  explanation: string;
  fix: string;
  /** True when the verdict depends on a run-time value (a variable, a file, command output). */
  deferred: boolean;
}

/** The file-system effects of one command (commands without any are not listed). */
export interface Effect {
  line: number;
  column: number;
  /** The command as written (shortened). */
  command: string;
  reads: string[];
  writes: string[];
  creates: string[];
  deletes: string[];
  /** True when some path still holds an expansion or an unexpanded glob ($DIR/*). */
  symbolic: boolean;
}

export interface PipelineStage {
  line: number;
  column: number;
  /** The command name, or "(…)" for a compound stage. */
  command: string;
  /** The arguments as written, with expansions kept symbolic (resolved when the environment gives them). */
  args: string[];
  input: Shape;
  output: Shape;
  /** Short human descriptions of input and output. */
  inputShape: string;
  outputShape: string;
}

export interface PipelineInfo {
  line: number;
  column: number;
  stages: PipelineStage[];
  /** The shape findings of this pipeline (also in the report's findings). */
  warnings: Finding[];
}

/** How a finding of the plain analysis fared once the environment was supplied. */
export interface JitChange {
  rule: RuleId;
  line: number;
  column: number;
  /** 'gone': the environment shows it cannot happen; 'new': it appears only with the environment. */
  outcome: 'error' | 'warning' | 'info' | 'gone' | 'still-deferred' | 'new';
  before: string | null;
  after: string | null;
}

export interface ShellReport {
  findings: Finding[];
  effects: Effect[];
  pipelines: PipelineInfo[];
  /** Present when an environment was supplied: what changed against the analysis without it. */
  jit?: { env: ShellEnv; changes: JitChange[] };
}
