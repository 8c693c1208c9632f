/**
 * The analysis: an abstract interpretation of the script's syntax tree. It walks the
 * statements in order with an abstract state (what is known of each variable, the working
 * directory) and, at each command, records its file-system effects (commands.ts), checks the
 * hazard rules (rules.ts) and, for pipelines, infers the shape of the text in each pipe
 * (shapes.ts). Nothing is executed.
 *
 * Just in time: a finding whose verdict depends on a value not known ahead of time (a variable
 * from the environment, command output, whether a directory exists) is marked `deferred`.
 * Given a ShellEnv, the same walk starts from the supplied values and files: expansions
 * resolve, paths become concrete, and each deferred finding either disappears or becomes
 * definite. `analyzeParsed` runs both walks and lists what changed.
 */
import type * as A from './ast';
import { commandSpec, isPseudoPath, type Role } from './commands';
import {
  commandEffects,
  existingPaths,
  expandGlob,
  hasGlob,
  joinCwd,
  normalizePath,
  parseArgs,
  type Arg,
  type ParsedArgs
} from './effects';
import { litOf, makeLocator, type Location } from './ast';
import { RULES, type RuleId } from './rules';
import { describeShape, inferStage, UNKNOWN, type Shape } from './shapes';
import { checkSyntax, type SyntaxCheck } from './syntax';
import type { Effect, Finding, JitChange, PipelineInfo, PipelineStage, Severity, ShellEnv, ShellReport } from './types';
import {
  canBeEmpty,
  concat,
  describeVal,
  isKnownEmpty,
  isSafe,
  join,
  SAFE_SPECIALS,
  str,
  unk,
  UNSET,
  WELL_KNOWN_VARS,
  type Val
} from './values';

// ---- public entry points --------------------------------------------------------------------

/** Checks with sh-syntax, builds the tree with tree-sitter-bash (loading both WebAssembly parsers on first use) and analyses. */
export async function analyzeShell(source: string, env?: ShellEnv): Promise<ShellReport> {
  return analyzeParsed(await checkSyntax(source), source, env);
}

/**
 * The synchronous core: `parsed` is sh-syntax's verdict on `source` with tree-sitter-bash's tree
 * (from `checkSyntax`).
 * With `env`, the report is the just-in-time one and `jit.changes` compares it with the
 * analysis without the environment.
 */
export function analyzeParsed(parsed: SyntaxCheck, source: string, env?: ShellEnv): ShellReport {
  if (!parsed.ok) {
    const info = RULES.syntax;
    return {
      findings: [
        {
          line: parsed.line,
          column: parsed.column,
          rule: 'syntax',
          shellcheck: info.shellcheck,
          severity: 'error',
          message: parsed.message,
          explanation: info.explanation,
          fix: info.fix,
          deferred: false
        }
      ],
      effects: [],
      pipelines: [],
      ...(env ? { jit: { env, changes: [] } } : {})
    };
  }
  const file = parsed.file;
  const base = new Analyzer(source, file, undefined).run();
  base.findings.push(...treeLimits(source, parsed));
  sortFindings(base.findings);
  if (!env) return base;
  const withEnv = new Analyzer(source, file, env).run();
  // unreachable code is a property of the text, not of the values: carried over as is
  for (const f of base.findings) if (f.rule === 'unreachable' || f.rule === 'parser-limit') withEnv.findings.push(f);
  sortFindings(withEnv.findings);
  return { ...withEnv, jit: { env, changes: diffFindings(base.findings, withEnv.findings) } };
}

/**
 * Statements tree-sitter-bash could not read in a script sh-syntax accepts: they are left out of
 * the tree, and each is reported (a limit of the analysis, not an error in the script).
 */
function treeLimits(source: string, parsed: SyntaxCheck & { ok: true }): Finding[] {
  const at = makeLocator(source);
  const info = RULES['parser-limit'];
  return parsed.treeProblems.map((p) => {
    const from = at(p.pos);
    const to = at(Math.max(p.pos, trimEnd(source, p.end)));
    const where = at(p.at);
    return {
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      rule: 'parser-limit',
      severity: info.severity,
      message: `Not analysed: ${p.message} (line ${where.line}, column ${where.column}). mvdan/sh accepts the script, so this is a limit of the analysis, not an error in the script.`,
      explanation: info.explanation,
      fix: info.fix,
      deferred: false
    };
  });
}

/** The end of the text before `end`, without trailing blanks and newlines. */
function trimEnd(source: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(source[e - 1])) e--;
  return e;
}

function sortFindings(fs: Finding[]): void {
  fs.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

function diffFindings(before: Finding[], after: Finding[]): JitChange[] {
  const key = (f: Finding) => `${f.rule}@${f.line}:${f.column}`;
  const afterMap = new Map(after.map((f) => [key(f), f]));
  const beforeMap = new Map(before.map((f) => [key(f), f]));
  const changes: JitChange[] = [];
  for (const f of before) {
    if (!f.deferred) continue;
    const g = afterMap.get(key(f));
    changes.push({
      rule: f.rule,
      line: f.line,
      column: f.column,
      outcome: !g ? 'gone' : g.deferred ? 'still-deferred' : g.severity,
      before: f.message,
      after: g ? g.message : null
    });
  }
  for (const g of after) {
    if (beforeMap.has(key(g))) continue;
    changes.push({ rule: g.rule, line: g.line, column: g.column, outcome: 'new', before: null, after: g.message });
  }
  return changes;
}

// ---- the abstract state ---------------------------------------------------------------------

interface PendingCd {
  node: A.CallExpr;
  target: string;
  /** false: the directory is known not to exist (from the environment's files). */
  exists: boolean | undefined;
  oldCwd: string;
  destructive: { line: number; command: string } | null;
}

interface State {
  vars: Map<string, Val>;
  /** The working directory as text: '' (where the script starts, unknown), a path, or symbolic ($DIR). */
  cwd: string;
  pendingCd: PendingCd | null;
}

interface Out {
  t: State | null;
  f: State | null;
}

interface Ctx {
  /** The exit status of this statement is tested (if/while condition, left of && or ||, !). */
  checked: boolean;
  /** This statement is a stage of a pipeline (its reads and writes go to the pipeline's check). */
  inPipe?: boolean;
}

function cloneState(s: State): State {
  return { vars: new Map(s.vars), cwd: s.cwd, pendingCd: s.pendingCd };
}

interface WordEval {
  word: A.Word;
  arg: Arg;
  val: Val;
  /** The word with every expansion that may be empty removed (others as \u0001). */
  emptyInst: string;
  /** Parameter expansions in it that may expand to nothing. */
  mayBeEmpty: { name: string; val: Val; pos: number }[];
}

interface Acc {
  text: string;
  lit: string | null;
  glob: boolean;
  vals: Val[];
  emptyInst: string;
  mayBeEmpty: WordEval['mayBeEmpty'];
}

interface Io {
  reads: { path: string; pos: number; end: number; command: string }[];
  writes: { path: string; pos: number; end: number; op: string }[];
}

interface EffectAcc {
  pos: number;
  command: string;
  reads: string[];
  writes: string[];
  creates: string[];
  deletes: string[];
  symbolic: boolean;
}

interface Frame {
  name: string;
  returns: State[];
  locals: Map<string, Val | undefined>;
}

interface CallInfo {
  name: string;
  args: WordEval[];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
/** A function body is walked at its first calls (with their arguments and state); later calls use a summary. */
const MAX_RUNS_PER_FUNCTION = 4;
const WRAPPERS = new Set(['sudo', 'command', 'exec', 'nice', 'nohup', 'time', 'env', 'doas', 'builtin']);

// ---- the analyzer ---------------------------------------------------------------------------

class Analyzer {
  private readonly loc: (offset: number) => Location;
  private readonly jitVars: Record<string, string> | null;
  private readonly existing: Set<string> | null;
  private readonly findings = new Map<string, Finding>();
  private readonly effects = new Map<number, EffectAcc>();
  private readonly pipelines = new Map<number, PipelineInfo>();
  private readonly pendingCds = new Map<number, PendingCd>();
  private readonly callInfo = new Map<A.CallExpr, CallInfo>();

  private readonly assigned = new Set<string>();
  private readonly funcs = new Map<string, A.FuncDecl>();
  private readonly called = new Set<string>();
  private readonly noReturn = new Set<string>();
  private readonly analyzedFns = new Set<string>();
  private readonly fnRuns = new Map<string, number>();
  private errexit = false;
  private nounset = false;
  private sources: string[] = [];

  private frames: Frame[] = [];
  private loops: State[][] = [];
  private ioStack: Io[] = [];

  constructor(
    private readonly src: string,
    private readonly file: A.File,
    private readonly env: ShellEnv | undefined
  ) {
    this.loc = makeLocator(src);
    this.jitVars = env?.vars ? { ...env.vars } : null;
    this.existing = env?.files ? existingPaths(env.files.map((f) => (f.endsWith('/') && f.length > 1 ? f.slice(0, -1) : f))) : null;
  }

  run(): ShellReport {
    this.prepass();
    const initial: State = { vars: new Map(), cwd: this.env?.cwd ? normalizePath(this.env.cwd) : '', pendingCd: null };
    const out = this.stmts(this.file.stmts, initial, { checked: false });
    // functions never called directly (trap handlers, indirect calls) run at the end, with
    // whatever the script set by then
    const endState = joinState(out.t, out.f, (n) => this.defaultVal(n)) ?? initial;
    for (let round = 0; round < 4; round++) {
      const pending = [...this.funcs.values()].filter((f) => !this.analyzedFns.has(f.name));
      if (pending.length === 0) break;
      for (const fn of pending) {
        const st = cloneState(endState);
        for (const n of this.assigned) st.vars.set(n, join(this.lookup(n, st), unk(true, false, `${n}, set elsewhere in the script`)));
        this.callFunction(fn, [], st);
      }
    }
    this.unsetVariables();
    this.finishCds();
    const findings = [...this.findings.values()];
    sortFindings(findings);
    const effects: Effect[] = [...this.effects.values()]
      .sort((a, b) => a.pos - b.pos)
      .map((e) => {
        const at = this.loc(e.pos);
        return {
          line: at.line,
          column: at.column,
          command: e.command,
          reads: e.reads,
          writes: e.writes,
          creates: e.creates,
          deletes: e.deletes,
          symbolic: e.symbolic
        };
      });
    const pipelines = [...this.pipelines.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    return { findings, effects, pipelines };
  }

  // ---- findings -----------------------------------------------------------------------------

  private add(rule: RuleId, span: A.Span, severity: Severity, message: string, deferred: boolean, shellcheck?: string): Finding {
    const key = `${rule}@${span.pos}`;
    const info = RULES[rule];
    const at = this.loc(span.pos);
    const end = this.loc(Math.max(span.pos, span.end));
    const f: Finding = {
      line: at.line,
      column: at.column,
      endLine: end.line,
      endColumn: end.column,
      rule,
      ...(shellcheck ?? info.shellcheck ? { shellcheck: shellcheck ?? info.shellcheck } : {}),
      severity,
      message,
      explanation: info.explanation,
      fix: info.fix,
      deferred
    };
    const old = this.findings.get(key);
    if (!old || SEVERITY_RANK[severity] > SEVERITY_RANK[old.severity] || (old.deferred && !deferred && severity === old.severity)) {
      this.findings.set(key, f);
      return f;
    }
    return old;
  }

  private text(span: A.Span): string {
    return this.src.slice(span.pos, span.end);
  }

  private commandText(span: A.Span): string {
    let t = this.src.slice(span.pos, span.end);
    const nl = t.indexOf('\n');
    if (nl >= 0) t = t.slice(0, nl) + ' …';
    t = t.replace(/\s+/g, ' ').trim();
    return t.length > 100 ? t.slice(0, 99) + '…' : t;
  }

  // ---- variables ----------------------------------------------------------------------------

  private defaultVal(name: string): Val {
    if (/^\d+$/.test(name)) {
      if (name === '0') return unk(false, false, 'the script name ($0)');
      if (this.frames.length > 0) return unk(true, false, `function argument $${name}`);
      if (this.jitVars) return name in this.jitVars ? str(this.jitVars[name]) : UNSET;
      return unk(true, false, `script argument $${name}`);
    }
    if (SAFE_SPECIALS.has(name)) return unk(false, true, `$${name}`);
    if (name === '@' || name === '*') return unk(true, false, this.frames.length > 0 ? 'the function arguments' : 'the script arguments');
    if (this.jitVars) {
      if (name in this.jitVars) return str(this.jitVars[name]);
      if (WELL_KNOWN_VARS.has(name)) return unk(false, false, `$${name} from the environment`);
      return UNSET;
    }
    if (WELL_KNOWN_VARS.has(name)) return unk(false, false, `$${name} from the environment`);
    return unk(true, false, `${name} from the environment`);
  }

  private lookup(name: string, st: State): Val {
    return st.vars.get(name) ?? this.defaultVal(name);
  }

  private setVar(st: State, name: string, v: Val, local = false): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame && local && !frame.locals.has(name)) frame.locals.set(name, st.vars.get(name));
    st.vars.set(name, v);
  }

  // ---- pre-pass -----------------------------------------------------------------------------

  private prepass(): void {
    const firstLine = this.src.split('\n', 1)[0];
    if (/^#!.*\s-[a-zA-Z]*e/.test(firstLine)) this.errexit = true;
    if (/^#!.*\s-[a-zA-Z]*u/.test(firstLine)) this.nounset = true;
    walk(this.file, (n) => {
      switch (n.type) {
        case 'Assign':
          this.assigned.add(n.name);
          break;
        case 'WordIter':
          this.assigned.add(n.name);
          break;
        case 'FuncDecl':
          this.funcs.set(n.name, n);
          break;
        case 'ParamExp':
          if (n.exp && (n.exp.op === ':=' || n.exp.op === '=')) this.assigned.add(n.param);
          break;
        case 'CallExpr': {
          const name = n.args.length > 0 ? litOf(n.args[0]) : null;
          if (name === null) break;
          this.called.add(name);
          const rest = n.args.slice(1).map((w) => litOf(w));
          for (const v of assignedByCommand(name, rest)) this.assigned.add(v);
          if (name === 'set') {
            for (let i = 0; i < rest.length; i++) {
              const a = rest[i];
              if (a && /^-[a-zA-Z]*e/.test(a)) this.errexit = true;
              if (a && /^-[a-zA-Z]*u/.test(a)) this.nounset = true;
              if (a === '-o' && rest[i + 1] === 'errexit') this.errexit = true;
              if (a === '-o' && rest[i + 1] === 'nounset') this.nounset = true;
            }
          }
          if (name === 'trap' && rest[0]) for (const t of rest[0].split(/[\s;&|]+/)) if (t) this.called.add(t);
          if ((name === 'source' || name === '.') && rest[0]) this.sources.push(rest[0]);
          break;
        }
      }
      const arith = (n as { arith?: A.Arithm }).arith;
      if (arith) for (const a of arith.assigns) this.assigned.add(a.name);
    });
    // functions that always exit: to a fixed point, since one may call another
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, fn] of this.funcs) {
        if (!this.noReturn.has(name) && this.alwaysExits(fn.body, false)) {
          this.noReturn.add(name);
          changed = true;
        }
      }
    }
  }

  /** The statement ends the script (or function) on every path: exit, return, a call to a function that always exits. */
  private alwaysExits(s: A.Stmt, allowReturn = true): boolean {
    if (s.background || !s.cmd) return false;
    const c = s.cmd;
    switch (c.type) {
      case 'CallExpr': {
        const name = c.args.length > 0 ? litOf(c.args[0]) : null;
        return name === 'exit' || (allowReturn && name === 'return') || (name !== null && this.noReturn.has(name));
      }
      case 'Block':
        return c.stmts.some((x) => this.alwaysExits(x, allowReturn));
      case 'IfClause': {
        const branches = (ic: A.IfClause): boolean => {
          if (!ic.then.some((x) => this.alwaysExits(x, allowReturn))) return false;
          if (!ic.else) return false;
          if (ic.else.kind === 'else') return ic.else.then.some((x) => this.alwaysExits(x, allowReturn));
          return branches(ic.else);
        };
        return branches(c);
      }
      case 'CaseClause':
        return (
          c.items.some((it) => it.patterns.some((p) => litOf(p) === '*')) &&
          c.items.every((it) => it.stmts.some((x) => this.alwaysExits(x, allowReturn)))
        );
      default:
        return false;
    }
  }

  // ---- statements ---------------------------------------------------------------------------

  private stmts(list: A.Stmt[], st: State, ctx: Ctx): Out {
    let cur: State | null = st;
    let last: Out = { t: st, f: st };
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (cur === null) break;
      const isLast = i === list.length - 1;
      last = this.stmt(s, cur, { checked: isLast ? ctx.checked : false });
      cur = joinState(last.t, last.f, (n) => this.defaultVal(n));
      if (this.alwaysExits(s) && !isLast) {
        if (!this.env) this.unreachable(list.slice(i + 1), s);
        cur = null;
        last = { t: null, f: null };
        break;
      }
    }
    return cur === null ? { t: null, f: null } : last;
  }

  private unreachable(rest: A.Stmt[], exit: A.Stmt): void {
    const at = this.loc(exit.pos);
    const what = exit.cmd?.type === 'CallExpr' ? litOf(exit.cmd.args[0]) ?? 'exit' : 'exit';
    for (const s of rest) {
      if (s.cmd?.type === 'FuncDecl' && this.called.has(s.cmd.name)) continue;
      const kind = what === 'return' ? 'the function returns' : what === 'exit' ? 'the script exits' : `${what} always exits`;
      this.add('unreachable', s, 'info', `This never runs: ${kind} at line ${at.line}`, false);
    }
  }

  private stmt(s: A.Stmt, st: State, ctx: Ctx): Out {
    const cmd = s.cmd;
    let out: Out;
    const inner: Ctx = { checked: ctx.checked || s.negated };
    const ownIo = !ctx.inPipe && cmd?.type === 'CallExpr';
    if (ownIo) this.ioStack.push({ reads: [], writes: [] });
    if (!cmd) {
      this.redirects(s, st, null);
      out = { t: st, f: st };
    } else {
      switch (cmd.type) {
        case 'CallExpr':
          out = this.call(cmd, s, st, inner);
          break;
        case 'DeclClause':
          out = this.decl(cmd, st);
          break;
        case 'BinaryCmd':
          out = cmd.op === '&&' || cmd.op === '||' ? this.andOr(cmd, st, inner) : this.pipeline(s, st);
          break;
        case 'Subshell':
          this.stmts(cmd.stmts, cloneState(st), inner);
          out = { t: st, f: st };
          break;
        case 'Block':
          out = this.stmts(cmd.stmts, st, inner);
          break;
        case 'IfClause':
          out = this.ifClause(cmd, st, inner);
          break;
        case 'WhileClause':
          out = this.whileClause(cmd, st, inner);
          break;
        case 'ForClause':
          out = this.forClause(cmd, st, inner);
          break;
        case 'CaseClause':
          out = this.caseClause(cmd, st, inner);
          break;
        case 'FuncDecl':
          out = { t: st, f: st };
          break;
        case 'ArithmCmd':
          this.arith(cmd.arith, st);
          out = { t: st, f: st };
          break;
        case 'TestClause':
          out = this.testClause(cmd, st);
          break;
        case 'TimeClause':
          out = cmd.stmt ? this.stmt(cmd.stmt, st, inner) : { t: st, f: st };
          break;
      }
      if (cmd.type !== 'CallExpr' && s.redirs.length > 0) {
        const state = joinState(out.t, out.f, (n) => this.defaultVal(n)) ?? st;
        const acc = this.newEffect(s);
        this.redirects(s, state, acc);
        this.finishEffect(acc);
      }
    }
    if (ownIo) this.checkIo(this.ioStack.pop()!);
    if (s.negated) out = { t: out.f, f: out.t };
    if (s.background) out = { t: st, f: st };
    return out;
  }

  private andOr(c: A.BinaryCmd, st: State, ctx: Ctx): Out {
    const a = this.stmt(c.x, st, { checked: true });
    const lookup = (n: string) => this.defaultVal(n);
    if (c.op === '&&') {
      const from = a.t && a.t === a.f ? cloneState(a.t) : a.t;
      const b = from ? this.stmt(c.y, from, ctx) : { t: null, f: null };
      return { t: b.t, f: joinState(a.f, b.f, lookup) };
    }
    const from = a.f && a.f === a.t ? cloneState(a.f) : a.f;
    const b = from ? this.stmt(c.y, from, ctx) : { t: null, f: null };
    return { t: joinState(a.t, b.t, lookup), f: b.f };
  }

  private ifClause(c: A.IfClause, st: State, ctx: Ctx): Out {
    const lookup = (n: string) => this.defaultVal(n);
    const cond = this.stmts(c.cond, st, { checked: true });
    const tState = cond.t ? (cond.t === cond.f ? cloneState(cond.t) : cond.t) : null;
    const thenOut: Out = tState ? this.stmts(c.then, tState, ctx) : { t: null, f: null };
    let elseOut: Out;
    if (!c.else) elseOut = { t: cond.f, f: cond.f };
    else if (!cond.f) elseOut = { t: null, f: null };
    else if (c.else.kind === 'else') elseOut = this.stmts(c.else.then, cond.f, ctx);
    else elseOut = this.ifClause(c.else, cond.f, ctx);
    return { t: joinState(thenOut.t, elseOut.t, lookup), f: joinState(thenOut.f, elseOut.f, lookup) };
  }

  /** Variables a loop assigns hold "some value from an iteration" inside and after it. */
  private widen(node: A.Node, st: State, why: string): State {
    const w = cloneState(st);
    walk(node, (n) => {
      if (n.type === 'Assign') w.vars.set(n.name, join(w.vars.get(n.name) ?? this.lookup(n.name, st), staticValue(n, why)));
      else if (n.type === 'CallExpr') {
        const name = n.args.length > 0 ? litOf(n.args[0]) : null;
        if (name) for (const v of assignedByCommand(name, n.args.slice(1).map((x) => litOf(x)))) w.vars.set(v, join(this.lookup(v, st), unk(true, false, why)));
      }
      const arith = (n as { arith?: A.Arithm }).arith;
      if (arith) for (const a of arith.assigns) w.vars.set(a.name, join(this.lookup(a.name, st), unk(false, true, why)));
    });
    return w;
  }

  private whileClause(c: A.WhileClause, st: State, ctx: Ctx): Out {
    const lookup = (n: string) => this.defaultVal(n);
    const w = this.widen(c, st, 'a value set in the loop');
    this.loops.push([]);
    const cond = this.stmts(c.cond, w, { checked: true });
    const bodyFrom = c.until ? cond.f : cond.t;
    if (bodyFrom) this.stmts(c.do, bodyFrom === (c.until ? cond.t : cond.f) ? cloneState(bodyFrom) : bodyFrom, ctx);
    const breaks = this.loops.pop()!;
    let after = c.until ? cond.t : cond.f;
    for (const b of breaks) after = joinState(after, b, lookup);
    after = after ?? w;
    return { t: after, f: after };
  }

  private forClause(c: A.ForClause, st: State, ctx: Ctx): Out {
    const lookup = (n: string) => this.defaultVal(n);
    const w = this.widen(c, st, 'a value set in the loop');
    let loopVal: Val | null = null;
    if (c.loop.type === 'WordIter') {
      const items = c.loop.items;
      if (items === null) loopVal = this.lookup('@', w);
      else {
        for (const item of items) {
          this.lsLoop(item);
          const e = this.evalWord(item, w, false);
          let v: Val;
          const unquotedExp = item.parts.some((p) => p.type === 'ParamExp' || p.type === 'CmdSubst');
          if (e.arg.glob && e.arg.lit !== null) v = unk(false, false, `a file name matching ${e.arg.text}`);
          else if (unquotedExp) v = unk(false, e.val.k === 'unk' ? e.val.safe : isSafe(e.val), `a word of ${e.arg.text}`);
          else v = e.val;
          loopVal = loopVal ? join(loopVal, v) : v;
        }
      }
      if (loopVal) w.vars.set(c.loop.name, loopVal);
    } else {
      this.arith(c.loop.arith, w);
    }
    this.loops.push([]);
    const body = this.stmts(c.do, cloneState(w), ctx);
    const breaks = this.loops.pop()!;
    let after: State | null = joinState(w, joinState(body.t, body.f, lookup), lookup);
    for (const b of breaks) after = joinState(after, b, lookup);
    return { t: after, f: after };
  }

  private lsLoop(item: A.Word): void {
    for (const p of item.parts) {
      if (p.type !== 'CmdSubst' || p.stmts.length !== 1) continue;
      const s = p.stmts[0];
      if (s.cmd?.type === 'CallExpr' && s.cmd.args.length > 0 && litOf(s.cmd.args[0]) === 'ls') {
        this.add('ls-loop', p, 'warning', `The loop iterates over the words of ${this.commandText(p)}: names with spaces, newlines or glob characters break apart`, false);
      }
    }
  }

  private caseClause(c: A.CaseClause, st: State, ctx: Ctx): Out {
    const lookup = (n: string) => this.defaultVal(n);
    this.evalWord(c.word, st, false);
    let t: State | null = null;
    let f: State | null = null;
    let catchAll = false;
    // case "$X" in "") …;; esac: the "" item sees X empty, later items and the fall-through see it set
    const name = simpleVar(c.word);
    let emptySeen = false;
    for (const item of c.items) {
      let isEmpty = false;
      for (const p of item.patterns) {
        this.evalWord(p, st, false);
        if (litOf(p) === '*') catchAll = true;
        if (p.parts.every((q) => (q.type === 'SglQuoted' && q.value === '') || (q.type === 'DblQuoted' && q.parts.length === 0))) isEmpty = true;
      }
      let from: State | null = cloneState(st);
      if (name && isEmpty && item.patterns.length === 1) from = this.refine(from, name, { kind: 'empty' });
      else if (name && emptySeen) from = this.refine(from, name, { kind: 'nonempty' });
      if (isEmpty) emptySeen = true;
      if (!from) continue;
      const o = this.stmts(item.stmts, from, ctx);
      t = joinState(t, o.t, lookup);
      f = joinState(f, o.f, lookup);
    }
    if (!catchAll) t = joinState(t, name && emptySeen ? this.refine(cloneState(st), name, { kind: 'nonempty' }) : st, lookup);
    return { t, f };
  }

  private arith(a: A.Arithm, st: State): void {
    const acc = newAcc();
    this.evalParts(a.parts, st, true, acc, false);
    for (const x of a.assigns) st.vars.set(x.name, unk(false, true, 'an arithmetic result'));
  }

  private decl(c: A.DeclClause, st: State): Out {
    const local = c.variant === 'local' || ((c.variant === 'declare' || c.variant === 'typeset') && this.frames.length > 0);
    const opts = c.args.filter((a): a is A.Word => a.type === 'Word').map((w) => litOf(w) ?? '');
    const arrayDecl = opts.some((o) => /^-[a-zA-Z]*[aA]/.test(o));
    for (const a of c.args) {
      if (a.type === 'Word') {
        this.evalWord(a, st, true);
        continue;
      }
      if (a.naked) {
        if (c.variant === 'export' || c.variant === 'readonly') continue;
        this.setVar(st, a.name, arrayDecl ? unk(true, false, `the array ${a.name}`) : UNSET, local);
        continue;
      }
      this.setVar(st, a.name, this.assignValue(a, st), local);
    }
    return { t: st, f: st };
  }

  private assignValue(a: A.Assign, st: State): Val {
    if (a.array) {
      for (const w of a.array) this.evalWord(w, st, false);
      return unk(true, false, `the array ${a.name}`);
    }
    const v = a.value ? this.evalWord(a.value, st, false).val : str('');
    if (a.index !== null) return join(this.lookup(a.name, st), unk(true, false, `the array ${a.name}`));
    return a.append ? concat([this.lookup(a.name, st), v]) : v;
  }

  private testClause(c: A.TestClause, st: State): Out {
    const evals = c.words.map((w) => this.evalWord(w, st, false));
    return this.refineTest(evals, st, '&&', '||');
  }

  // ---- simple commands ----------------------------------------------------------------------

  private call(c: A.CallExpr, s: A.Stmt, st: State, ctx: Ctx): Out {
    const values = c.assigns.map((a) => [a, this.assignValue(a, st)] as const);
    if (c.args.length === 0) {
      for (const [a, v] of values) this.setVar(st, a.name, v);
      this.redirects(s, st, null);
      return { t: st, f: st };
    }
    // wrappers: sudo rm …, env X=1 cmd …, exec cmd …: the word after them names the command
    const lits = c.args.map((w) => litOf(w));
    let k = 0;
    while (k < lits.length - 1 && lits[k] !== null && WRAPPERS.has(lits[k]!)) {
      const w = lits[k]!;
      k++;
      while (k < lits.length - 1) {
        const l = lits[k];
        if (l === null) break;
        if (w === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(l)) k++;
        else if (l.startsWith('-')) k += (w === 'sudo' && /^-[ugCDhpU]$/.test(l)) || (w === 'nice' && l === '-n') ? 2 : 1;
        else break;
      }
    }
    // `: ${X:=default}` only expands: splitting its arguments does nothing
    const noop = lits[0] === ':';
    const evals = c.args.map((w, i) => this.evalWord(w, st, i > k && !noop));
    const name = evals[k]?.arg.lit ?? null;
    const args = evals.slice(k + 1);
    const acc = this.newEffect(s);
    let out: Out = { t: st, f: st };
    if (name !== null) {
      this.callInfo.set(c, { name, args });
      out = this.builtin(name, c, args, st, ctx) ?? out;
      if (out.t === null && out.f === null) {
        return out;
      }
      if (commandSpec(name)) this.commandEffects(name, c, args, st, acc);
    }
    this.redirects(s, st, acc);
    this.finishEffect(acc);
    return out;
  }

  private builtin(name: string, c: A.CallExpr, args: WordEval[], st: State, ctx: Ctx): Out | null {
    switch (name) {
      case 'exit':
        return { t: null, f: null };
      case 'return': {
        const frame = this.frames[this.frames.length - 1];
        if (frame) frame.returns.push(st);
        return { t: null, f: null };
      }
      case 'break':
      case 'continue': {
        const loop = this.loops[this.loops.length - 1];
        if (loop && name === 'break') loop.push(cloneState(st));
        return { t: null, f: null };
      }
      case 'cd':
      case 'pushd':
      case 'popd':
        return this.cd(name, c, args, st, ctx);
      case 'read':
      case 'mapfile':
      case 'readarray':
      case 'getopts':
      case 'printf':
      case 'let':
      case 'wait':
        for (const v of assignedByCommand(name, args.map((a) => a.arg.lit))) {
          this.setVar(st, v, name === 'let' ? unk(false, true, 'an arithmetic result') : unk(true, false, `a value read by ${name}`));
        }
        return null;
      case 'unset':
        for (const a of args) if (a.arg.lit && /^[A-Za-z_]\w*$/.test(a.arg.lit)) st.vars.set(a.arg.lit, UNSET);
        return null;
      case 'shift':
        for (const p of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '@', '*']) st.vars.set(p, join(this.lookup(p, st), unk(true, false, 'a shifted argument')));
        return null;
      case '[':
      case 'test': {
        const ops = name === '[' && args.length > 0 && args[args.length - 1].arg.lit === ']' ? args.slice(0, -1) : args;
        return this.refineTest(ops, st, '-a', '-o');
      }
      case 'true':
      case ':':
        return { t: st, f: null };
      case 'false':
        return { t: null, f: st };
    }
    const fn = this.funcs.get(name);
    if (fn) return this.callFunction(fn, args, st);
    return null;
  }

  private callFunction(fn: A.FuncDecl, args: WordEval[], st: State): Out {
    const times = this.fnRuns.get(fn.name) ?? 0;
    if (this.frames.some((f) => f.name === fn.name) || this.frames.length >= 8 || times >= MAX_RUNS_PER_FUNCTION) {
      // recursion, deep nesting, or analysed often enough: summarise the call instead of walking it again
      if (this.noReturn.has(fn.name)) return { t: null, f: null };
      const w = this.widen(fn.body, st, `a value set by ${fn.name}`);
      return { t: w, f: w };
    }
    this.fnRuns.set(fn.name, times + 1);
    this.analyzedFns.add(fn.name);
    const positional = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '@', '*', '#'];
    const saved = new Map(positional.map((p) => [p, st.vars.get(p)]));
    const frame: Frame = { name: fn.name, returns: [], locals: new Map() };
    this.frames.push(frame);
    for (let i = 0; i < 9; i++) st.vars.set(String(i + 1), i < args.length ? args[i].val : UNSET);
    st.vars.set('#', str(String(args.length)));
    const all = args.length > 0 ? concat(args.map((a) => a.val)) : str('');
    st.vars.set('@', all);
    st.vars.set('*', all);
    const body = this.stmt(fn.body, st, { checked: false });
    this.frames.pop();
    const lookup = (n: string) => this.defaultVal(n);
    let end = joinState(body.t, body.f, lookup);
    for (const r of frame.returns) end = joinState(end, r, lookup);
    if (!end) return { t: null, f: null };
    for (const [k, v] of frame.locals) {
      if (v === undefined) end.vars.delete(k);
      else end.vars.set(k, v);
    }
    for (const [k, v] of saved) {
      if (v === undefined) end.vars.delete(k);
      else end.vars.set(k, v);
    }
    return { t: end, f: end };
  }

  private cd(name: string, c: A.CallExpr, args: WordEval[], st: State, ctx: Ctx): Out {
    const ops = args.filter((a) => !(a.arg.lit !== null && /^-[LPe@]+$/.test(a.arg.lit)) && a.arg.lit !== '--');
    let target: string;
    if (name === 'popd') target = '$OLDPWD';
    else if (ops.length === 0) {
      const home = this.lookup('HOME', st);
      target = home.k === 'str' ? home.v : '$HOME';
    } else if (ops[0].arg.lit === '-') target = '$OLDPWD';
    else target = ops[0].arg.text;
    const path = joinCwd(st.cwd, target);
    const exempt = ops.length > 0 && (ops[0].arg.lit === '..' || ops[0].arg.lit === '/');
    const handled = ctx.checked || this.errexit;
    let exists: boolean | undefined;
    if (this.existing && !/[$`]/.test(path) && (path.startsWith('/') || (this.env?.cwd ?? '') !== '')) exists = this.existing.has(normalizePath(path));
    const success = cloneState(st);
    success.cwd = path;
    if (!handled && !exempt && exists !== true) {
      const pending: PendingCd = this.pendingCds.get(c.pos) ?? { node: c, target: path, exists, oldCwd: st.cwd, destructive: null };
      if (exists === false) pending.exists = false;
      this.pendingCds.set(c.pos, pending);
      if (exists === false) {
        st.pendingCd = pending;
        return { t: st, f: st };
      }
      success.pendingCd = pending;
      return { t: success, f: success };
    }
    if ((name === 'pushd' && ops.length === 0) || name === 'popd') return { t: success, f: st };
    success.pendingCd = null;
    if (exists === false) return { t: null, f: st };
    if (exists === true) return { t: success, f: null };
    return { t: success, f: st };
  }

  private finishCds(): void {
    for (const p of this.pendingCds.values()) {
      const where = p.oldCwd ? p.oldCwd : 'the directory the script started in';
      const verb = litOf(p.node.args[0]) ?? 'cd';
      const cmd = verb === 'popd' ? 'popd' : `${verb} ${p.target}`;
      if (p.exists === false) {
        const then = p.destructive ? `, so ${p.destructive.command} (line ${p.destructive.line}) runs in ${where}` : `; the script carries on in ${where}`;
        this.add('cd-unchecked', p.node, 'error', `${cmd} fails: it does not exist${then}`, false);
      } else if (p.destructive) {
        this.add('cd-unchecked', p.node, 'warning', `If ${cmd} fails, ${p.destructive.command} (line ${p.destructive.line}) runs in the wrong directory`, true);
      } else {
        this.add('cd-unchecked', p.node, 'info', `${cmd} is not checked: if it fails the script carries on in the old directory`, true);
      }
    }
  }

  // ---- tests and refinement -----------------------------------------------------------------

  /** Narrows variables by a test: [ -n "$X" ] is true only when X is non-empty. */
  private refineTest(ops: WordEval[], st: State, and: string, or: string): Out {
    const lits = ops.map((o) => o.arg.lit);
    if (lits.includes(or) || lits.includes('(') || lits.includes('\\(')) return { t: st, f: st };
    const groups: WordEval[][] = [[]];
    for (const o of ops) {
      if (o.arg.lit === and) groups.push([]);
      else groups[groups.length - 1].push(o);
    }
    const single = groups.length === 1;
    let t: State | null = cloneState(st);
    let f: State | null = single ? cloneState(st) : st;
    for (const g of groups) {
      let neg = false;
      let k = 0;
      while (g[k]?.arg.lit === '!') {
        neg = !neg;
        k++;
      }
      const r = this.testFacts(g.slice(k));
      if (!r) continue;
      const whenTrue = neg ? r.whenFalse : r.whenTrue;
      const whenFalse = neg ? r.whenTrue : r.whenFalse;
      if (t && whenTrue) t = this.refine(t, r.name, whenTrue);
      if (single && f && whenFalse) f = this.refine(f, r.name, whenFalse);
    }
    return { t, f };
  }

  private testFacts(g: WordEval[]): { name: string; whenTrue: Fact | null; whenFalse: Fact | null } | null {
    const varOf = (e: WordEval | undefined) => (e ? simpleVar(e.word) : null);
    if (g.length === 1) {
      const n = varOf(g[0]);
      return n ? { name: n, whenTrue: { kind: 'nonempty' }, whenFalse: { kind: 'empty' } } : null;
    }
    if (g.length === 2) {
      const op = g[0].arg.lit;
      const n = varOf(g[1]);
      if (!n) return null;
      if (op === '-n') return { name: n, whenTrue: { kind: 'nonempty' }, whenFalse: { kind: 'empty' } };
      if (op === '-z') return { name: n, whenTrue: { kind: 'empty' }, whenFalse: { kind: 'nonempty' } };
      if (op && /^-[edfrwxsLhSbcpgukOGN]$/.test(op)) return { name: n, whenTrue: { kind: 'nonempty' }, whenFalse: null };
      return null;
    }
    if (g.length === 3) {
      const op = g[1].arg.lit;
      let n = varOf(g[0]);
      let other = g[2];
      if (!n) {
        n = varOf(g[2]);
        other = g[0];
      }
      if (!n || other.arg.lit === null) return null;
      const v = other.arg.lit;
      if (op === '=' || op === '==') {
        return v === '' ? { name: n, whenTrue: { kind: 'empty' }, whenFalse: { kind: 'nonempty' } } : { name: n, whenTrue: { kind: 'is', value: v }, whenFalse: null };
      }
      if (op === '!=') {
        return v === '' ? { name: n, whenTrue: { kind: 'nonempty' }, whenFalse: { kind: 'empty' } } : { name: n, whenTrue: null, whenFalse: { kind: 'is', value: v } };
      }
    }
    return null;
  }

  private refine(st: State, name: string, fact: Fact): State | null {
    const v = this.lookup(name, st);
    if (fact.kind === 'nonempty') {
      if (isKnownEmpty(v)) return null;
      if (v.k === 'unk') st.vars.set(name, { ...v, empty: false });
      return st;
    }
    if (fact.kind === 'empty') {
      if (v.k === 'str' && v.v !== '') return null;
      st.vars.set(name, str(''));
      return st;
    }
    if (v.k === 'str' && v.v !== fact.value) return null;
    st.vars.set(name, str(fact.value));
    return st;
  }

  // ---- pipelines ----------------------------------------------------------------------------

  private pipeline(s: A.Stmt, st: State): Out {
    const stages = flattenPipe(s);
    this.ioStack.push({ reads: [], writes: [] });
    for (const stage of stages) this.stmt(stage, cloneState(st), { checked: false, inPipe: true });
    this.checkIo(this.ioStack.pop()!);
    this.shapes(stages);
    // every stage runs in a subshell: nothing it sets survives, and an exit ends only the stage
    return { t: st, f: st };
  }

  private shapes(stages: A.Stmt[]): void {
    const key = stages[0].pos;
    const out: PipelineStage[] = [];
    const warnings: Finding[] = [];
    let input: Shape = UNKNOWN;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      const at = this.loc(stage.pos);
      const info = stage.cmd?.type === 'CallExpr' ? this.callInfo.get(stage.cmd) : undefined;
      if (i === 0 && stage.redirs.some((r) => r.op === '<')) input = { kind: 'lines', from: 'the redirected file' };
      if (!info) {
        const output: Shape = { kind: 'unknown', from: 'a compound command' };
        out.push({ line: at.line, column: at.column, command: stage.cmd ? `(${stage.cmd.type === 'CallExpr' ? 'command' : this.commandText(stage).split(' ')[0]} …)` : '(…)', args: [], input, output, inputShape: describeShape(input), outputShape: describeShape(output) });
        input = output;
        continue;
      }
      const spec = commandSpec(info.name);
      const parsed: ParsedArgs = parseArgs(info.args.map((a) => a.arg), spec?.valueOpts ?? []);
      if (info.name === 'awk' || info.name === 'gawk' || info.name === 'mawk') {
        // -F: is commonly written glued: -F: -F','
        for (const a of info.args) {
          const l = a.arg.lit;
          if (l && l.startsWith('-F') && l.length > 2 && !parsed.opts.has('-F')) parsed.opts.set('-F', [{ ...a.arg, lit: l.slice(2), text: l.slice(2) }]);
        }
      }
      const operands = parsed.operands.map((a) => a.lit);
      const { output, warnings: ws } = inferStage(info.name, parsed, input, operands);
      for (const w of ws) {
        const f = this.add(w.rule, stage.cmd!, RULES[w.rule].severity, w.message, w.deferred);
        f.fix = w.fix;
        warnings.push(f);
      }
      out.push({
        line: at.line,
        column: at.column,
        command: info.name,
        args: info.args.map((a) => a.arg.text),
        input,
        output,
        inputShape: describeShape(input),
        outputShape: describeShape(output)
      });
      input = output;
    }
    const at = this.loc(key);
    const prev = this.pipelines.get(key);
    if (!prev || (this.env && out.some((x, i) => x.args.join(' ') !== prev.stages[i]?.args.join(' ')))) {
      this.pipelines.set(key, { line: at.line, column: at.column, stages: out, warnings });
    }
  }

  private checkIo(io: Io): void {
    for (const w of io.writes) {
      const r = io.reads.find((x) => x.path === w.path);
      if (!r) continue;
      const append = w.op === '>>' || w.op === '&>>' || w.op === 'tee -a';
      this.add(
        'read-write-same-file',
        w,
        append ? 'warning' : 'error',
        append
          ? `${w.path} is read by ${r.command} and appended to in the same pipeline: the output may be read back in without end`
          : `${w.path} is read by ${r.command} and truncated by ${w.op} in the same pipeline: the shell empties it before ${r.command} reads it`,
        false
      );
    }
  }

  // ---- effects ------------------------------------------------------------------------------

  private newEffect(s: A.Stmt): EffectAcc {
    return { pos: s.pos, command: this.commandText(s), reads: [], writes: [], creates: [], deletes: [], symbolic: false };
  }

  private finishEffect(acc: EffectAcc): void {
    if (acc.reads.length + acc.writes.length + acc.creates.length + acc.deletes.length === 0) return;
    const prev = this.effects.get(acc.pos);
    if (!prev) {
      this.effects.set(acc.pos, acc);
      return;
    }
    for (const k of ['reads', 'writes', 'creates', 'deletes'] as const) for (const p of acc[k]) if (!prev[k].includes(p)) prev[k].push(p);
    prev.symbolic = prev.symbolic || acc.symbolic;
  }

  /** The concrete (or symbolic) paths an argument names, from the working directory. */
  private paths(arg: Arg, st: State): { paths: string[]; symbolic: boolean } {
    let p = arg.text;
    if (p.startsWith('~')) {
      const home = this.lookup('HOME', st);
      if (home.k === 'str' && (p === '~' || p.startsWith('~/'))) p = home.v + p.slice(1);
    }
    p = joinCwd(st.cwd, p);
    const unresolved = /[$`]/.test(p);
    if (!unresolved && arg.glob && this.existing) return { paths: expandGlob(p, this.existing), symbolic: false };
    return { paths: [p], symbolic: unresolved || (arg.glob && hasGlob(p)) };
  }

  private applyRole(acc: EffectAcc, role: Role, arg: Arg, st: State, command: string, destructive: boolean): void {
    const { paths, symbolic } = this.paths(arg, st);
    const real = paths.filter((p) => !isPseudoPath(p));
    if (real.length === 0) return;
    acc.symbolic = acc.symbolic || symbolic;
    const exists = (p: string) => (this.existing && !/[$`*?[]/.test(p) ? this.existing.has(p) : undefined);
    const push = (list: string[], p: string) => {
      if (!list.includes(p)) list.push(p);
    };
    for (const p of real) {
      switch (role) {
        case 'read':
          push(acc.reads, p);
          break;
        case 'write':
          push(acc.writes, p);
          if (exists(p) === false) push(acc.creates, p);
          break;
        case 'create':
          push(exists(p) === true ? acc.writes : acc.creates, p);
          break;
        case 'delete':
          push(acc.deletes, p);
          break;
        case 'move':
          push(acc.reads, p);
          push(acc.deletes, p);
          break;
        case 'meta':
          push(acc.writes, p);
          break;
        case 'edit':
          push(acc.reads, p);
          push(acc.writes, p);
          break;
      }
    }
    // an unknown expansion may hold a relative path too
    const relative = !/^[/~]/.test(arg.text);
    if (st.pendingCd && relative && (role === 'delete' || role === 'move' || role === 'edit' || (destructive && role !== 'read'))) {
      const at = this.loc(acc.pos);
      st.pendingCd.destructive ??= { line: at.line, command: command };
    }
  }

  private commandEffects(name: string, c: A.CallExpr, args: WordEval[], st: State, acc: EffectAcc): void {
    const ce = commandEffects(name, args.map((a) => a.arg));
    const byArg = new Map(args.map((a) => [a.arg, a]));
    const io = this.ioStack[this.ioStack.length - 1];
    const destructive = !!ce.spec?.destructive;
    for (const pe of ce.effects) {
      this.applyRole(acc, pe.role, pe.path, st, name, destructive);
      if (io && (pe.role === 'read' || pe.role === 'edit' || pe.role === 'move') && !pe.path.glob) {
        io.reads.push({ path: normalizePath(pe.path.text), pos: pe.path.pos, end: pe.path.end, command: name });
      }
    }
    if (io && ce.spec?.name === 'tee') {
      const append = ce.parsed.flags.has('-a') || ce.parsed.flags.has('--append');
      for (const o of ce.parsed.operands) io.writes.push({ path: normalizePath(o.text), pos: o.pos, end: o.end, op: append ? 'tee -a' : 'tee' });
    }
    // rm -r on "$DIR/"*; find "$DIR/" -delete
    if (ce.spec?.name === 'rm' && ce.recursive) {
      for (const o of ce.parsed.operands) {
        const e = byArg.get(o);
        if (e) this.emptyExpansion(e, name, c, /^\/\*?$/);
      }
    }
    if (ce.spec?.name === 'find' && ce.effects.some((e) => e.role === 'delete')) {
      for (const o of ce.parsed.operands) {
        const e = byArg.get(o);
        if (e) this.emptyExpansion(e, name, c, /^\/$/);
      }
    }
  }

  private emptyExpansion(e: WordEval, name: string, c: A.CallExpr, danger: RegExp): void {
    if (e.mayBeEmpty.length === 0) return;
    const inst = e.emptyInst.replace(/\/+/g, '/');
    if (!danger.test(inst)) return;
    const flags = c.args
      .slice(1)
      .map((w) => litOf(w))
      .filter((l): l is string => l !== null && l.startsWith('-'))
      .join(' ');
    const cmd = name === 'find' ? `find ${inst} -delete` : `${name}${flags ? ' ' + flags : ''} ${inst}`;
    const certain = e.mayBeEmpty.filter((x) => isKnownEmpty(x.val));
    if (certain.length > 0) {
      const x = certain[0];
      const state = x.val.k === 'unset' ? 'unset' : 'empty';
      const abort = this.nounset && x.val.k === 'unset' ? ' (with set -u the script stops here with "unbound variable" instead)' : '';
      this.add('rm-empty-expansion', e.word, 'error', `${x.name} is ${state} here, so this runs ${cmd}${abort}`, false);
    } else {
      const names = [...new Set(e.mayBeEmpty.map((x) => x.name))];
      const why = e.mayBeEmpty[0].val.k === 'unk' ? ` (${describeVal(e.mayBeEmpty[0].val)})` : '';
      this.add('rm-empty-expansion', e.word, 'warning', `If ${names.join(' or ')} is empty or unset${why}, this runs ${cmd}`, true);
    }
  }

  private redirects(s: A.Stmt, st: State, acc: EffectAcc | null): void {
    const io = this.ioStack[this.ioStack.length - 1];
    for (const r of s.redirs) {
      if (r.hdoc) this.evalWord(r.hdoc, st, false);
      if (r.op === '<<' || r.op === '<<-') continue;
      if (r.op === '<<<') {
        this.evalWord(r.word, st, false);
        continue;
      }
      const e = this.evalWord(r.word, st, true);
      if ((r.op === '>&' || r.op === '<&') && (e.arg.lit === null || /^(\d+-?|-)$/.test(e.arg.lit))) continue;
      const path = normalizePath(e.arg.text);
      if (isPseudoPath(path)) continue;
      const role: Role = r.op === '<' ? 'read' : r.op === '<>' ? 'edit' : 'write';
      if (io) {
        if (role === 'read') io.reads.push({ path, pos: r.pos, end: r.end, command: 'the redirection' });
        else if (role === 'write') io.writes.push({ path, pos: r.pos, end: r.end, op: r.op });
      }
      if (acc) this.applyRole(acc, role, e.arg, st, '', false);
    }
  }

  // ---- words --------------------------------------------------------------------------------

  /** Expands a word abstractly. `split`: the word is subject to splitting and globbing (an argument). */
  private evalWord(w: A.Word, st: State, split: boolean): WordEval {
    const acc = newAcc();
    const parts = w.parts;
    if (parts[0]?.type === 'Lit' && parts[0].raw.startsWith('~')) {
      const lit = parts[0];
      const m = /^~(?=\/|$)/.exec(lit.raw);
      const home = this.lookup('HOME', st);
      if (m && home.k === 'str') {
        acc.text += home.v;
        acc.lit = acc.lit === null ? null : acc.lit + home.v;
        acc.emptyInst += home.v;
        acc.vals.push(home);
        this.evalParts([{ ...lit, value: lit.value.slice(1), raw: lit.raw.slice(1) }, ...parts.slice(1)], st, false, acc, split);
      } else this.evalParts(parts, st, false, acc, split);
    } else this.evalParts(parts, st, false, acc, split);
    let val = concat(acc.vals);
    if (val.k === 'unk' && val.sym === undefined) val = { ...val, sym: acc.text };
    return {
      word: w,
      arg: { text: acc.text, lit: acc.lit, pos: w.pos, end: w.end, glob: acc.glob },
      val,
      emptyInst: acc.emptyInst,
      mayBeEmpty: acc.mayBeEmpty
    };
  }

  private evalParts(parts: A.WordPart[], st: State, quoted: boolean, acc: Acc, split: boolean): void {
    for (const p of parts) {
      switch (p.type) {
        case 'Lit':
          acc.text += p.value;
          if (acc.lit !== null) acc.lit += p.value;
          acc.emptyInst += p.value;
          acc.vals.push(str(p.value));
          if (!quoted && /(^|[^\\])[*?[]/.test(p.raw)) acc.glob = true;
          break;
        case 'SglQuoted':
          acc.text += p.value;
          if (acc.lit !== null) acc.lit += p.value;
          acc.emptyInst += p.value;
          acc.vals.push(str(p.value));
          break;
        case 'DblQuoted':
          this.evalParts(p.parts, st, true, acc, split);
          break;
        case 'ParamExp': {
          const v = this.paramVal(p, st);
          if (canBeEmpty(v) && !SAFE_SPECIALS.has(p.param)) acc.mayBeEmpty.push({ name: p.param, val: v, pos: p.pos });
          if (v.k === 'str' || v.k === 'unset') {
            const value = v.k === 'str' ? v.v : '';
            acc.text += value;
            if (acc.lit !== null) acc.lit += value;
            acc.emptyInst += value;
            if (!quoted && hasGlob(value)) acc.glob = true;
          } else {
            acc.text += v.k === 'unk' && v.sym !== undefined && !p.exp && !p.repl && p.slice === null ? v.sym : this.text(p);
            acc.lit = null;
            acc.emptyInst += canBeEmpty(v) ? '' : '\u0001';
          }
          acc.vals.push(v);
          if (split && !quoted) this.unquotedParam(p, v);
          break;
        }
        case 'CmdSubst':
        case 'ProcSubst': {
          this.stmts(p.stmts, cloneState(st), { checked: false });
          acc.text += this.text(p);
          acc.lit = null;
          acc.emptyInst += '\u0001';
          const v = p.type === 'CmdSubst' ? unk(true, false, `the output of ${this.commandText(p)}`) : unk(false, true, 'a /dev/fd path');
          acc.vals.push(v);
          if (p.type === 'CmdSubst' && split && !quoted) {
            this.add('unquoted-expansion', p, 'warning', `${this.commandText(p)} is unquoted: its output is split into words and globbed`, true, 'SC2046');
          }
          break;
        }
        case 'ArithmExp': {
          this.arith(p.arith, st);
          acc.text += this.text(p);
          acc.lit = null;
          acc.emptyInst += '\u0001';
          acc.vals.push(unk(false, true, 'an arithmetic result'));
          break;
        }
      }
    }
  }

  private unquotedParam(p: A.ParamExp, v: Val): void {
    if (p.length || SAFE_SPECIALS.has(p.param)) return;
    // ${1:+"$1"}, ${1+"$@"}: the alternative is quoted, the idiom for "this argument only if set"
    if (p.exp && (p.exp.op === ':+' || p.exp.op === '+') && p.exp.word && p.exp.word.parts.every((q) => q.type === 'DblQuoted' || q.type === 'SglQuoted' || q.type === 'Lit')) return;
    const t = this.text(p);
    if (p.param === '@' || p.index === '@') {
      this.add('unquoted-expansion', p, 'warning', `${t} is unquoted: each element is split again into words and globbed`, false, 'SC2068');
      return;
    }
    if (v.k === 'str' && v.v === '') {
      this.add('unquoted-expansion', p, 'warning', `${t} is unquoted and empty: the argument disappears`, false);
      return;
    }
    if (isSafe(v)) return;
    if (v.k === 'str') {
      const words = v.v.split(/\s+/).filter(Boolean);
      const what = /\s/.test(v.v.trim()) ? `splits into ${words.length} words` : /[*?[]/.test(v.v) ? 'is expanded as a glob' : 'is split';
      this.add('unquoted-expansion', p, 'warning', `${t} is unquoted and holds ${JSON.stringify(v.v)}, which ${what}`, false);
      return;
    }
    if (v.k === 'unset') {
      this.add('unquoted-expansion', p, 'warning', `${t} is unquoted and unset: the argument disappears`, false);
      return;
    }
    this.add('unquoted-expansion', p, 'info', `${t} is unquoted: its value (${v.src}) is split into words and globbed`, true);
  }

  private paramVal(p: A.ParamExp, st: State): Val {
    const nested = newAcc();
    this.evalParts(p.nested, st, true, nested, false);
    if (p.length) return unk(false, true, `the length of ${p.param}`);
    if (p.excl) return unk(true, false, `the variable named by ${p.param}`);
    let base = this.lookup(p.param, st);
    if (p.index !== null) base = p.index === '@' || p.index === '*' ? join(base, unk(true, false, `the array ${p.param}`)) : join(base, unk(true, false, `an element of ${p.param}`));
    if (p.slice !== null) return unk(true, isSafe(base), `a slice of ${p.param}`);
    if (p.repl) {
      if (p.repl.orig) this.evalWord(p.repl.orig, st, false);
      const w = p.repl.with ? this.evalWord(p.repl.with, st, false) : null;
      return unk(true, isSafe(base) && (!w || isSafe(w.val)), `${p.param} with a substitution`);
    }
    if (!p.exp) return base;
    const wordVal = () => (p.exp!.word ? this.evalWord(p.exp!.word, st, false).val : str(''));
    switch (p.exp.op) {
      case ':-':
      case '-':
      case ':=':
      case '=': {
        const colon = p.exp.op.startsWith(':');
        const d = wordVal();
        let v: Val;
        if (base.k === 'str' && (base.v !== '' || !colon)) v = base;
        else if (isKnownEmpty(base) && (colon || base.k === 'unset')) v = d;
        else v = unk(canBeEmpty(d), isSafe(base) && isSafe(d), base.k === 'unk' ? base.src : `${p.param} or its default`);
        if (p.exp.op.endsWith('=')) st.vars.set(p.param, v);
        return v;
      }
      case ':?':
      case '?': {
        if (p.exp.word) this.evalWord(p.exp.word, st, false);
        if (base.k === 'str' && base.v !== '') return base;
        const v: Val = base.k === 'unk' ? { ...base, empty: false } : unk(false, false, `${p.param} (the script stops if it is empty)`);
        st.vars.set(p.param, v);
        return v;
      }
      case ':+':
      case '+': {
        const d = wordVal();
        if (base.k === 'str' && base.v !== '') return d;
        if (isKnownEmpty(base)) return str('');
        return unk(true, isSafe(d), `${p.param}'s alternative`);
      }
      case '#':
      case '##':
      case '%':
      case '%%':
        wordVal();
        return unk(true, isSafe(base), `${p.param} with a part removed`);
      default:
        wordVal();
        if (base.k === 'str') return unk(base.v === '', isSafe(base), `${p.param} transformed`);
        return unk(canBeEmpty(base), isSafe(base), `${p.param} transformed`);
    }
  }

  // ---- unset variables (flow-insensitive, like ShellCheck) ----------------------------------

  private unsetVariables(): void {
    const exempt = new Set<A.Node>();
    const seen = new Set<string>();
    const markTestOperands = (words: A.Word[]) => {
      for (let i = 0; i < words.length - 1; i++) {
        const op = litOf(words[i]);
        if (op === '-n' || op === '-z' || op === '-v') walk(words[i + 1], (n) => n.type === 'ParamExp' && exempt.add(n));
      }
    };
    const report = (name: string, span: A.Span) => {
      if (seen.has(name) || this.assigned.has(name)) return;
      if (/^\d+$/.test(name) || SAFE_SPECIALS.has(name) || name === '@' || name === '*' || name === '0') return;
      if (WELL_KNOWN_VARS.has(name)) return;
      if (this.jitVars && name in this.jitVars) return;
      const lower = /[a-z]/.test(name);
      if (!lower && !this.jitVars) return;
      seen.add(name);
      if (this.jitVars) {
        this.add('unset-variable', span, 'warning', `${name} is used but never set, and the environment does not set it: it expands to nothing`, false);
      } else {
        const from = this.sources.length > 0 ? ` (it may come from ${this.sources.join(', ')}, which is not followed)` : '';
        this.add('unset-variable', span, 'warning', `${name} is used but never set in the script${from}`, true);
      }
    };
    walk(this.file, (n) => {
      if (n.type === 'CallExpr') {
        const name = n.args.length > 0 ? litOf(n.args[0]) : null;
        if (name === '[' || name === 'test') markTestOperands(n.args.slice(1));
      } else if (n.type === 'TestClause') markTestOperands(n.words);
      else if (n.type === 'ParamExp') {
        if (exempt.has(n)) return;
        if (n.exp && [':-', '-', ':=', '=', ':?', '?', ':+', '+'].includes(n.exp.op)) return;
        report(n.param, n);
      }
      const arith = (n as { arith?: A.Arithm }).arith;
      if (arith) for (const x of arith.names) report(x.name, { pos: x.pos, end: x.pos + x.name.length });
    });
  }
}

/** What an assignment stores, judged from its text alone (for loop widening): a literal, a number, or unknown. */
function staticValue(a: A.Assign, why: string): Val {
  if (a.array || a.index !== null || a.append) return unk(true, false, why);
  if (!a.value) return unk(true, false, why);
  const lit = litOf(a.value);
  if (lit !== null) return str(lit);
  const safe = a.value.parts.every(
    (p) =>
      p.type === 'ArithmExp' ||
      (p.type === 'ParamExp' && (SAFE_SPECIALS.has(p.param) || p.length) && !p.exp) ||
      (p.type === 'Lit' && !/[\s*?[]/.test(p.value))
  );
  return safe ? unk(false, true, why) : unk(true, false, why);
}

type Fact = { kind: 'nonempty' } | { kind: 'empty' } | { kind: 'is'; value: string };

function newAcc(): Acc {
  return { text: '', lit: '', glob: false, vals: [], emptyInst: '', mayBeEmpty: [] };
}

function joinState(a: State | null, b: State | null, defaultVal: (n: string) => Val): State | null {
  if (!a) return b;
  if (!b || a === b) return a;
  const vars = new Map<string, Val>();
  for (const k of new Set([...a.vars.keys(), ...b.vars.keys()])) {
    vars.set(k, join(a.vars.get(k) ?? defaultVal(k), b.vars.get(k) ?? defaultVal(k)));
  }
  return { vars, cwd: a.cwd === b.cwd ? a.cwd : '', pendingCd: a.pendingCd ?? b.pendingCd };
}

/** `$X` or `"${X}"`: the variable name, for test refinement. */
function simpleVar(w: A.Word): string | null {
  let parts = w.parts;
  if (parts.length === 1 && parts[0].type === 'DblQuoted') parts = parts[0].parts;
  if (parts.length !== 1 || parts[0].type !== 'ParamExp') return null;
  const p = parts[0];
  if (p.exp || p.repl || p.slice !== null || p.index !== null || p.length || p.excl) return null;
  return /^[A-Za-z_]\w*$/.test(p.param) ? p.param : null;
}

/** The stages of a pipeline statement (`! a | b` negates the whole pipeline, not a stage). */
function flattenPipe(s: A.Stmt): A.Stmt[] {
  const c = s.cmd;
  if (c?.type !== 'BinaryCmd' || (c.op !== '|' && c.op !== '|&')) return [s];
  const inner = (x: A.Stmt): A.Stmt[] =>
    x.cmd?.type === 'BinaryCmd' && (x.cmd.op === '|' || x.cmd.op === '|&') && !x.negated && x.redirs.length === 0 ? flattenPipe(x) : [x];
  return [...inner(c.x), ...inner(c.y)];
}

/** Variables a builtin assigns, given its arguments as literals (null: not literal). */
function assignedByCommand(name: string, args: (string | null)[]): string[] {
  const toArgs = (xs: (string | null)[]): Arg[] => xs.map((l, i) => ({ text: l ?? '', lit: l, pos: i, end: i, glob: false }));
  const names = (xs: Arg[]) => xs.map((a) => a.lit).filter((l): l is string => l !== null && /^[A-Za-z_]\w*$/.test(l));
  switch (name) {
    case 'read': {
      const p = parseArgs(toArgs(args), ['-p', '-d', '-t', '-n', '-N', '-u', '-i', '-a']);
      const out = names(p.operands);
      for (const a of p.opts.get('-a') ?? []) if (a.lit) out.push(a.lit);
      return out.length > 0 ? out : ['REPLY'];
    }
    case 'mapfile':
    case 'readarray': {
      const p = parseArgs(toArgs(args), ['-d', '-n', '-O', '-s', '-u', '-C', '-c']);
      const out = names(p.operands);
      return out.length > 0 ? out.slice(0, 1) : ['MAPFILE'];
    }
    case 'getopts':
      return args[1] && /^[A-Za-z_]\w*$/.test(args[1]) ? [args[1], 'OPTARG'] : ['OPTARG'];
    case 'printf': {
      const p = parseArgs(toArgs(args), ['-v']);
      return names(p.opts.get('-v') ?? []);
    }
    case 'wait': {
      const p = parseArgs(toArgs(args), ['-p']);
      return names(p.opts.get('-p') ?? []);
    }
    case 'let':
      return args.map((a) => (a ? /^([A-Za-z_]\w*)(\[[^\]]*\])?([-+*/%&|^]|<<|>>)?=/.exec(a)?.[1] : undefined)).filter((x): x is string => !!x);
    default:
      return [];
  }
}

/** Visits every node of a subtree (pre-order). */
function walk(node: unknown, visit: (n: A.Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (typeof o.type === 'string') visit(o as unknown as A.Node);
  for (const k in o) {
    const v = o[k];
    if (v !== null && typeof v === 'object') walk(v, visit);
  }
}
