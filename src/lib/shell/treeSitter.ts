/**
 * The syntax tree, from tree-sitter-bash (through web-tree-sitter), converted into the node
 * kinds of ast.ts (after mvdan/sh's `syntax` package), which is what the analysis walks.
 *
 * Two real parsers, two jobs: sh-syntax (mvdan/sh, syntax.ts) decides whether a script is valid
 * and words the errors; tree-sitter-bash gives the full tree, which sh-syntax's JSON does not.
 * This module only runs on scripts sh-syntax accepted, and trusts tree-sitter-bash 0.25.1 only
 * as far as it can check it:
 * - some valid Bash it misreads silently (no ERROR node): those cases are mended, by same-length
 *   rewrites of the text before parsing (parseMended) or in the conversion; each is marked
 *   "grammar gap" below and listed in README.md;
 * - its top-level statements must start where mvdan/sh's do (convertRange);
 * - where it still cannot read something (ERROR or MISSING nodes: extended globs such as `!(x)`,
 *   two here-documents on one command, `for x in;`), the sh-syntax statement around it is parsed
 *   again on its own, and if that fails too it is left out and reported in `problems` (the
 *   analysis turns them into `parser-limit` findings), never guessed at.
 *
 * Positions: web-tree-sitter parses a JavaScript string as UTF-16, so its indices are UTF-16
 * code units, like every offset in ast.ts.
 *
 * Loading (the only asynchronous part, like sh-syntax's in syntax.ts):
 * - Node (Vitest, the CLI): nothing to do. Both wasm files (web-tree-sitter's runtime
 *   `tree-sitter.wasm` and the grammar `tree-sitter-bash.wasm`) are read from node_modules, found
 *   with `createRequire(import.meta.url)`; the Node modules are imported dynamically so that
 *   bundles for the browser never contain them.
 * - Browser / Web Worker: the caller says where Vite served the files, once, before the first
 *   analysis: `setTreeSitterWasm({ runtime, grammar })` (URLs, bytes, or functions giving them).
 */
import type { Node as TsNode, Parser as TsParser, Tree } from 'web-tree-sitter';
import type * as A from './ast';
import { litOf } from './ast';
import type { WasmSource } from './syntax';

// ---- loading --------------------------------------------------------------------------------

/** Where the two WebAssembly files come from (browser): web-tree-sitter's runtime and the Bash grammar. */
export interface TreeSitterWasm {
  /** web-tree-sitter's `tree-sitter.wasm`. */
  runtime: WasmSource;
  /** tree-sitter-bash's `tree-sitter-bash.wasm`. */
  grammar: WasmSource;
}

let configured: TreeSitterWasm | null = null;
let parserPromise: Promise<TsParser> | null = null;

/** Tells the analysis where tree-sitter's wasm files are (required in the browser; optional in Node). `null` restores the default. */
export function setTreeSitterWasm(source: TreeSitterWasm | null): void {
  configured = source;
  parserPromise = null;
}

type Bytes = Uint8Array;

async function toBytes(source: WasmSource, what: string): Promise<Bytes> {
  let s: WasmSource | Response = source;
  if (typeof s === 'function') s = await s();
  if (typeof s === 'string' || s instanceof URL) s = await fetch(s);
  if (s instanceof WebAssembly.Module) throw new Error(`${what}: give the bytes or a URL, not a compiled WebAssembly.Module`);
  if (typeof Response !== 'undefined' && s instanceof Response) {
    if (!s.ok) throw new Error(`could not load ${what}: HTTP ${s.status}`);
    return new Uint8Array(await s.arrayBuffer());
  }
  const view = s as ArrayBuffer | ArrayBufferView;
  return view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Dynamic import hidden from bundlers: the Node branch must not end up in the browser build. */
const importNode = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);

/** In Node, the wasm files from node_modules; elsewhere null. */
async function nodeDefaults(): Promise<{ runtime: Bytes; grammar: Bytes } | null> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return null;
  const { createRequire } = (await importNode('node:module')) as typeof import('node:module');
  const { readFile } = (await importNode('node:fs/promises')) as typeof import('node:fs/promises');
  const { dirname, join } = (await importNode('node:path')) as typeof import('node:path');
  const require = createRequire(import.meta.url);
  // web-tree-sitter's "exports" do not list tree-sitter.wasm: find it beside the package's entry
  const runtimePath = join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm');
  const grammarPath = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const [runtime, grammar] = await Promise.all([readFile(runtimePath), readFile(grammarPath)]);
  return { runtime: new Uint8Array(runtime), grammar: new Uint8Array(grammar) };
}

async function loadParser(): Promise<TsParser> {
  const { Parser, Language } = await import('web-tree-sitter');
  let runtime: Bytes;
  let grammar: Bytes;
  if (configured) {
    [runtime, grammar] = await Promise.all([
      toBytes(configured.runtime, "web-tree-sitter's tree-sitter.wasm"),
      toBytes(configured.grammar, 'tree-sitter-bash.wasm')
    ]);
  } else {
    const d = await nodeDefaults();
    if (!d) {
      throw new Error(
        'The shell analysis needs tree-sitter: call setTreeSitterWasm({ runtime, grammar }) first ' +
          "(in the browser: import the two .wasm files with Vite's ?url, see src/lib/shell/README.md)."
      );
    }
    ({ runtime, grammar } = d);
  }
  // the runtime takes its bytes directly (`wasmBinary`), so it never guesses a URL itself
  await Parser.init({ wasmBinary: runtime } as Parameters<typeof Parser.init>[0]);
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The Bash parser, loaded once. */
export function getBashParser(): Promise<TsParser> {
  if (!parserPromise) {
    parserPromise = loadParser();
    parserPromise.catch(() => {
      parserPromise = null;
    });
  }
  return parserPromise;
}

// ---- the entry point ------------------------------------------------------------------------

/** A part of a valid script that tree-sitter-bash could not read (left out of the tree). */
export interface TreeProblem {
  /** Where the left-out statements start and end (offsets, UTF-16). */
  pos: number;
  end: number;
  /** Where tree-sitter-bash stopped understanding (an offset inside [pos, end)). */
  at: number;
  message: string;
}

export interface BashTree {
  file: A.File;
  problems: TreeProblem[];
}

/**
 * Parses `source` with tree-sitter-bash and converts the tree. `statements` are sh-syntax's
 * top-level statement spans (SyntaxCheck): they decide how much to leave out around a part
 * tree-sitter-bash could not read. Never throws on a valid script.
 */
export async function parseBashTree(source: string, statements: A.Span[] = []): Promise<BashTree> {
  return convertBash(await getBashParser(), source, statements);
}

/** The synchronous core of parseBashTree, given a loaded parser. */
export function convertBash(parser: TsParser, source: string, statements: A.Span[] = []): BashTree {
  const file = (stmts: A.Stmt[]): A.File => ({ type: 'File', pos: 0, end: source.length, stmts });
  const whole = convertRange(parser, source, source, statements);
  if (whole.bad.length === 0) return { file: file(whole.items.flatMap((it) => it.stmts)), problems: [] };
  if (statements.length === 0) {
    const at = Math.min(...whole.bad.map((b) => b.at));
    return { file: file([]), problems: [{ pos: 0, end: source.length, at, message: whole.bad.find((b) => b.at === at)!.message }] };
  }
  // tree-sitter-bash's error recovery can spoil everything after an unreadable part, so each
  // sh-syntax top-level statement around one is parsed again on its own
  const segs = statements.map((st, i) => ({ pos: st.pos, end: i + 1 < statements.length ? statements[i + 1].pos : source.length }));
  const segOf = (at: number) => {
    let k = 0;
    for (let i = 0; i < segs.length; i++) if (segs[i].pos <= at) k = i;
    return k;
  };
  const redo = new Set(whole.bad.map((b) => segOf(b.at)));
  const overlaps = (it: Item, k: number) => it.pos < segs[k].end && segs[k].pos < it.end;
  for (let changed = true; changed; ) {
    changed = false;
    for (const it of whole.items) {
      if (![...redo].some((k) => overlaps(it, k))) continue;
      for (let k = 0; k < segs.length; k++) {
        if (!redo.has(k) && overlaps(it, k)) {
          redo.add(k);
          changed = true;
        }
      }
    }
  }
  const items = whole.items.filter((it) => ![...redo].some((k) => overlaps(it, k)));
  const problems: TreeProblem[] = [];
  for (const k of [...redo].sort((a, b) => a - b)) {
    const seg = segs[k];
    // the statement alone, at its place: what comes before is blanked (newlines kept), so
    // offsets stay those of the whole script
    const text = source.slice(0, seg.pos).replace(/[^\n]/g, ' ') + source.slice(seg.pos, seg.end);
    const part = convertRange(parser, source, text, [statements[k]]);
    if (part.bad.length === 0) items.push(...part.items);
    else {
      const first = part.bad.reduce((a, b) => (b.at < a.at ? b : a));
      problems.push({ pos: seg.pos, end: seg.end, at: first.at, message: first.message });
    }
  }
  items.sort((a, b) => a.pos - b.pos);
  return { file: file(items.flatMap((it) => it.stmts)), problems };
}

interface Item {
  pos: number;
  end: number;
  stmts: A.Stmt[];
}

/**
 * Parses `text` (the source, or the source with all but one statement blanked) and converts the
 * top-level statements. `bad` lists what could not be read: ERROR and MISSING nodes not mended,
 * conversions that gave up, and statements that do not start where mvdan/sh's do.
 */
function convertRange(parser: TsParser, source: string, text: string, statements: A.Span[]): { items: Item[]; bad: { at: number; message: string }[] } {
  const tree = parseMended(parser, text);
  const bad: { at: number; message: string }[] = [];
  if (!tree) return { items: [], bad: [{ at: statements[0]?.pos ?? 0, message: 'tree-sitter-bash returned no tree' }] };
  try {
    const conv = new Converter(source, parser);
    const root = tree.rootNode;
    const items: Item[] = [];
    let join: { op: A.BinCmdOp; pos: number } | null = null;
    for (const c of kids(root)) {
      if (c.type === '&' && items.length > 0) {
        const last = items[items.length - 1].stmts;
        if (last.length > 0) last[last.length - 1].background = true;
        continue;
      }
      if (c.type === 'comment' || (!c.isNamed && (c.type === ';' || c.type === '\n'))) continue;
      if (!STATEMENTS.has(c.type)) {
        if (c.type !== 'ERROR') bad.push({ at: c.startIndex, message: `tree-sitter-bash could not place ${JSON.stringify(c.text.slice(0, 30))}` });
        continue;
      }
      try {
        conv.takeJoin();
        const st = conv.stmt(c);
        const prev = items[items.length - 1];
        if (join && prev && prev.stmts.length === 1) {
          prev.stmts[0] = binary(join.op, join.pos, prev.stmts[0], st);
          prev.end = Math.max(prev.end, c.endIndex);
        } else items.push({ pos: c.startIndex, end: Math.max(c.endIndex, c.startIndex + 1), stmts: [st] });
        join = conv.takeJoin();
      } catch (e) {
        // a tree the converter cannot read (or a bug in it) costs this statement, not the analysis
        if (e instanceof TreeGap) bad.push({ at: e.at, message: e.message });
        else bad.push({ at: c.startIndex, message: `the tree of this statement could not be converted (${e instanceof Error ? e.message : String(e)})` });
        items.push({ pos: c.startIndex, end: Math.max(c.endIndex, c.startIndex + 1), stmts: [] });
      }
    }
    if (join) bad.push({ at: join.pos, message: 'a here-document ends with && or || and no command follows' });
    collectErrors(root, conv.mended, bad);
    for (const f of absorbedNewlines(root, text)) bad.push({ at: f.at, message: 'tree-sitter-bash read two lines as one command' });
    bad.push(...conv.fragmentErrors);
    if (statements.length > 0) {
      // mvdan/sh's top-level statements are the reference: the same starts, both ways
      const shStarts = new Set(statements.map((st) => st.pos));
      const ours = new Set<number>();
      for (const it of items) {
        const p = it.stmts.length > 0 ? it.stmts[0].pos : it.pos;
        ours.add(p);
        if (!shStarts.has(p)) bad.push({ at: p, message: 'tree-sitter-bash and mvdan/sh disagree on where a statement starts' });
      }
      for (const st of statements) if (!ours.has(st.pos)) bad.push({ at: st.pos, message: 'tree-sitter-bash and mvdan/sh disagree on where this statement starts' });
    }
    return { items, bad };
  } finally {
    tree.delete();
  }
}

/**
 * tree-sitter-bash's grammar gaps that a same-length rewrite of the text avoids (positions do
 * not move, and every word is read from the original source, so the rewrite never shows):
 * - `[ … ]`: its test-expression grammar fails on `\(`, `~`, a missing `]`, and merges lines
 *   (issue #316); `[` is an ordinary command, so it is rewritten to `:` and read as one;
 * - `for x do` (POSIX, no `;`): the blank before `do` becomes `;`;
 * - issues #347/#316: after a pipeline of three or more stages, the newline ending a line may
 *   be read as a blank, so the next line's words become arguments of the last command —
 *   silently, with no ERROR node. A simple command never spans an unescaped newline, so such
 *   newlines become `;` (or the comment before them is), and the text is parsed again.
 */
function parseMended(parser: TsParser, source: string): Tree | null {
  let text = source.replace(/(^|[\n;&|(){}])([ \t]*for[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*)[ \t](do\b)/g, '$1$2;$3');
  let tree = parser.parse(text);
  if (!tree) return null;
  const brackets = testBrackets(tree.rootNode, text);
  if (brackets.length > 0) {
    const chars = text.split('');
    for (const b of brackets) chars[b] = ':';
    text = chars.join('');
    tree.delete();
    tree = parser.parse(text);
  }
  for (let round = 0; tree && round < 8; round++) {
    const found = absorbedNewlines(tree.rootNode, text);
    if (found.length === 0) break;
    let next = text;
    for (const f of found) {
      // a here-document started on that line begins its body at this newline: leave it to be reported
      const line = text.slice(lineStart(text, f.at), f.at);
      if (/<<[^<]/.test(line)) continue;
      next = next.slice(0, f.from) + ';' + ' '.repeat(f.to - f.from - 1) + next.slice(f.to);
    }
    if (next === text) break;
    tree.delete();
    text = next;
    tree = parser.parse(text);
  }
  return tree;
}

/** Offsets of `[` opening a single-bracket test (parsed as one, or left in an ERROR node). */
function testBrackets(root: TsNode, text: string): number[] {
  const out: number[] = [];
  const visit = (n: TsNode) => {
    for (const c of kids(n)) {
      if (c.type === '[' && !c.isNamed && (n.type === 'test_command' || n.type === 'ERROR')) {
        const before = c.startIndex > 0 ? text[c.startIndex - 1] : '\n';
        const after = text[c.startIndex + 1] ?? '';
        if (/[\s;&|(!{]/.test(before) && /[ \t\n\\]/.test(after)) out.push(c.startIndex);
      } else visit(c);
    }
  };
  visit(root);
  return out;
}

/** Newlines inside nodes that cannot span one: the range to replace (the newline, or the comment before it). */
function absorbedNewlines(root: TsNode, text: string): { at: number; from: number; to: number }[] {
  const out: { at: number; from: number; to: number }[] = [];
  // newlines before each offset, to skip single-line subtrees quickly
  const lines = new Uint32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) lines[i + 1] = lines[i] + (text[i] === '\n' ? 1 : 0);
  const visit = (n: TsNode) => {
    if (lines[Math.min(n.endIndex, text.length)] === lines[Math.min(n.startIndex, text.length)]) return;
    const cs = kids(n);
    const single =
      n.type === 'command' ||
      n.type === 'declaration_command' ||
      n.type === 'unset_command' ||
      n.type === 'file_redirect' ||
      n.type === 'herestring_redirect' ||
      n.type === 'redirected_statement' ||
      (n.type === 'test_command' && cs[0]?.type === '[');
    if (single) {
      for (let i = 1; i < cs.length; i++) {
        const prev = cs[i - 1];
        if (prev.type === 'heredoc_redirect') continue;
        const from = prev.endIndex;
        const to = cs[i].startIndex;
        for (let j = from; j < to; j++) {
          if (text[j] === '\\') j++;
          else if (text[j] === '\n') {
            if (prev.type === 'comment') out.push({ at: j, from: prev.startIndex, to: prev.endIndex });
            else out.push({ at: j, from: j, to: j + 1 });
            break;
          }
        }
      }
    }
    for (const c of cs) visit(c);
  };
  visit(root);
  return out;
}

/** Thrown by the converter when a node is not what the grammar promises (a tree it cannot read). */
class TreeGap extends Error {
  constructor(
    message: string,
    readonly at: number
  ) {
    super(message);
  }
}

function collectErrors(n: TsNode, mended: Set<number>, out: { at: number; message: string }[]): void {
  if (!n.hasError && !n.isMissing) return;
  for (const c of n.children) {
    if (!c) continue;
    if (c.isMissing) out.push({ at: c.startIndex, message: `tree-sitter-bash expected ${JSON.stringify(c.type)} here` });
    else if (c.type === 'ERROR') {
      if (!mended.has(c.id)) out.push({ at: c.startIndex, message: describeError(c) });
    } else collectErrors(c, mended, out);
  }
}

function describeError(e: TsNode): string {
  const t = e.text.replace(/\s+/g, ' ');
  return `tree-sitter-bash could not read ${JSON.stringify(t.length > 30 ? t.slice(0, 29) + '…' : t)}`;
}

// ---- the converter --------------------------------------------------------------------------

const STATEMENTS = new Set([
  'c_style_for_statement',
  'case_statement',
  'command',
  'compound_statement',
  'declaration_command',
  'for_statement',
  'function_definition',
  'if_statement',
  'list',
  'negated_command',
  'pipeline',
  'redirected_statement',
  'subshell',
  'test_command',
  'unset_command',
  'variable_assignment',
  'variable_assignments',
  'while_statement'
]);

/** Nodes that become a word part of their own; everything else in a word is literal text. */
const PART_NODES = new Set([
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'arithmetic_expansion',
  'process_substitution'
]);

const REDIR_OPS = new Set<A.RedirOp>(['<', '>', '>>', '>|', '<>', '<&', '>&', '&>', '&>>', '<<', '<<-', '<<<']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TEST_OPS = new Set(['(', ')', '&&', '||', '!', '<', '>']);

/** Escape rules for literal text: unquoted, inside double quotes, in a here-document, in `${x…}` inside double quotes. */
type Mode = 'word' | 'dq' | 'heredoc' | 'paramdq';

const kids = (n: TsNode): TsNode[] => n.children.filter((c): c is TsNode => c !== null);

class Converter {
  /** ERROR nodes mended by the converter (grammar gaps), not reported. */
  readonly mended = new Set<number>();
  /** Unreadable parts found in re-parsed fragments (offsets in this source). */
  readonly fragmentErrors: { at: number; message: string }[] = [];
  /** Set by a here-document ending its line with `&&` or `||`: joins the next statement of the list. */
  private pendingJoin: { op: A.BinCmdOp; pos: number } | null = null;

  /** The pending join (see heredoc()), cleared. */
  takeJoin(): { op: A.BinCmdOp; pos: number } | null {
    const j = this.pendingJoin;
    this.pendingJoin = null;
    return j;
  }

  constructor(
    private readonly src: string,
    private readonly parser: TsParser
  ) {}

  private gap(n: TsNode, what: string): never {
    throw new TreeGap(`tree-sitter-bash gave ${what} (${n.type}) here`, n.startIndex);
  }

  // ---- statements -----------------------------------------------------------------------------

  stmtList(nodes: TsNode[]): A.Stmt[] {
    const out: A.Stmt[] = [];
    let join: { op: A.BinCmdOp; pos: number } | null = null;
    for (const n of nodes) {
      if (n.type === '&' && !n.isNamed) {
        if (out.length > 0) out[out.length - 1].background = true;
        continue;
      }
      if (!n.isNamed || n.type === 'comment' || n.type === 'ERROR') continue;
      if (!STATEMENTS.has(n.type)) continue;
      this.takeJoin();
      const s = this.stmt(n);
      if (join && out.length > 0) out[out.length - 1] = binary(join.op, join.pos, out[out.length - 1], s);
      else out.push(s);
      join = this.takeJoin();
    }
    if (join) throw new TreeGap('a here-document ends with && or || and no command follows', join.pos);
    return out;
  }

  stmt(n: TsNode, redirs: A.Redirect[] = [], extraArgs: TsNode[] = [], extraWords: A.Word[] = []): A.Stmt {
    switch (n.type) {
      case 'redirected_statement':
        return this.redirected(n, redirs);
      case 'negated_command': {
        const inner = kids(n).find((c) => c.isNamed && STATEMENTS.has(c.type));
        if (!inner) this.gap(n, 'a negation without a command');
        const s = this.stmt(inner, redirs, extraArgs, extraWords);
        s.negated = true;
        s.pos = n.startIndex;
        return s;
      }
      case 'pipeline':
      case 'list': {
        const s = this.binaryChain(kids(n), extraArgs, extraWords);
        if (redirs.length > 0) attachRedirs(s, redirs);
        return s;
      }
      case 'command':
        return this.command(n, redirs, extraArgs, extraWords);
      default: {
        if (extraArgs.length > 0 || extraWords.length > 0) this.gap(n, 'words after a compound command');
        const cmd = this.compound(n);
        return makeStmt(cmd, redirs);
      }
    }
  }

  /**
   * `a | b | c`, `a && b || c`: left-associative, like mvdan/sh. `extraArgs` (arguments
   * tree-sitter-bash put after a redirection of the whole) belong to the last command.
   */
  private binaryChain(nodes: TsNode[], extraArgs: TsNode[] = [], extraWords: A.Word[] = []): A.Stmt {
    let left: A.Stmt | null = null;
    let op: { op: A.BinCmdOp; pos: number } | null = null;
    let first: A.Stmt | null = null;
    const stmts = nodes.filter((c) => c.isNamed && c.type !== 'comment' && c.type !== 'ERROR');
    const last = stmts[stmts.length - 1];
    for (const c of nodes) {
      if (!c.isNamed) {
        if (c.type === '|' || c.type === '|&' || c.type === '&&' || c.type === '||') op = { op: c.type, pos: c.startIndex };
        continue;
      }
      if (c.type === 'comment' || c.type === 'ERROR') continue;
      const s = c === last ? this.stmt(c, [], extraArgs, extraWords) : this.stmt(c);
      if (left === null) {
        left = s;
        first = s;
      } else {
        if (!op) this.gap(c, 'two commands without an operator');
        left = op.op === '|' || op.op === '|&' ? pipeJoin(op.op, op.pos, left, s) : binary(op.op, op.pos, left, s);
        op = null;
      }
    }
    if (!left || !first) throw new TreeGap('tree-sitter-bash gave an empty pipeline here', nodes[0]?.startIndex ?? 0);
    const isPipe = left.cmd?.type === 'BinaryCmd' && (left.cmd.op === '|' || left.cmd.op === '|&');
    if (isPipe && left !== first) {
      // `! a | b` and `time a | b` apply to the whole pipeline (tree-sitter-bash puts them on the first stage)
      if (first.negated) {
        first.negated = false;
        const bang = first.pos;
        first.pos = stmtStart(first);
        refreshStarts(left, first);
        left.negated = true;
        left.pos = bang;
      } else if (first.cmd?.type === 'TimeClause' && first.cmd.stmt && first.redirs.length === 0) {
        const time = first.cmd;
        const inner = time.stmt!;
        replaceFirst(left, first, inner);
        const whole = left;
        return makeStmt({ type: 'TimeClause', pos: time.pos, end: whole.end, stmt: whole }, []);
      }
    }
    return left;
  }

  private redirected(n: TsNode, outer: A.Redirect[]): A.Stmt {
    const body = n.childForFieldName('body');
    const redirs: A.Redirect[] = [];
    const extra: TsNode[] = [];
    const tails: { op: A.BinCmdOp; pos: number; stmt: A.Stmt }[] = [];
    const cs = kids(n);
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c === body || c.id === body?.id) continue;
      if (c.type === 'file_redirect' || c.type === 'herestring_redirect') {
        const r = this.redirect(c);
        redirs.push(r.redir);
        extra.push(...r.extra);
      } else if (c.type === 'heredoc_redirect') {
        redirs.push(...this.heredoc(c, extra, tails));
      } else if (c.type === 'ERROR') {
        // grammar gaps: `cmd >f <<< word` reads as ERROR("<<") then `< word`, and `cmd <>f`
        // (without a descriptor) as ERROR("<") then `>f`
        const next = cs[i + 1];
        if ((c.text === '<<' || c.text === '<') && next?.type === 'file_redirect' && next.startIndex === c.endIndex) {
          const r = this.redirect(next);
          const want = c.text === '<<' ? '<' : '>';
          if (r.redir.op === want && r.redir.n === null) {
            this.mended.add(c.id);
            redirs.push({ ...r.redir, pos: c.startIndex, opPos: c.startIndex, op: c.text === '<<' ? '<<<' : '<>' });
            extra.push(...r.extra);
            i++;
          }
        }
      }
    }
    const strays = this.strays(cs);
    let s: A.Stmt;
    if (body) s = this.stmt(body, [], extra, strays);
    else {
      s = makeStmt(null, []);
      if (extra.length > 0) this.gap(extra[0], 'words after a redirection with no command');
      if (strays.length > 0) throw new TreeGap('tree-sitter-bash left out words here', strays[0].pos);
    }
    attachRedirs(s, [...redirs, ...outer]);
    for (const t of tails) s = binary(t.op, t.pos, s, t.stmt);
    return s;
  }

  private command(n: TsNode, outer: A.Redirect[], extraArgs: TsNode[], extraWords: A.Word[]): A.Stmt {
    const assigns: A.Assign[] = [];
    const argNodes: TsNode[] = [];
    const redirs: A.Redirect[] = [];
    const cs = kids(n);
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k];
      if (c.type === 'variable_assignment') {
        // grammar gap: `x=$a/b-$c.d` ends the value at the second `$` and makes `c.d` the
        // command name; whatever touches the assignment belongs to its value
        const glued: TsNode[] = [];
        let end = c.endIndex;
        while (k + 1 < cs.length && cs[k + 1].startIndex === end && cs[k + 1].type !== 'variable_assignment') {
          const g = cs[++k];
          glued.push(...(g.type === 'command_name' ? kids(g) : [g]));
          end = g.endIndex;
        }
        assigns.push(this.assign(c, glued));
      } else if (c.type === 'command_name') argNodes.push(...kids(c));
      else if (c.type === 'file_redirect' || c.type === 'herestring_redirect') {
        const r = this.redirect(c);
        redirs.push(r.redir);
        argNodes.push(...r.extra);
      } else if (c.type === 'comment') continue;
      else if (c.type === 'ERROR') continue;
      else if (c.type === 'subshell') this.gap(c, 'a subshell inside a command');
      else argNodes.push(c);
    }
    argNodes.push(...extraArgs);
    argNodes.sort((a, b) => a.startIndex - b.startIndex);
    const args = [...this.groupWords(argNodes, 'word'), ...this.strays(cs), ...extraWords].sort((a, b) => a.pos - b.pos);
    const all = [...redirs, ...outer];
    if (assigns.length === 0 && args.length > 0 && litOf(args[0]) === 'time') {
      // `time cmd …`: tree-sitter-bash reads `time` as a command name; mvdan/sh as a clause
      let k = 1;
      if (args.length > 1 && litOf(args[1]) === '-p') k = 2;
      const t = args[0];
      if (args.length <= k) return makeStmt({ type: 'TimeClause', pos: t.pos, end: t.pos + 4, stmt: null }, all);
      const rest = args.slice(k);
      const inner = makeStmt({ type: 'CallExpr', pos: rest[0].pos, end: rest[rest.length - 1].end, assigns: [], args: rest }, all);
      return makeStmt({ type: 'TimeClause', pos: t.pos, end: inner.end, stmt: inner }, []);
    }
    if (assigns.length === 0 && args.length === 0) return makeStmt(null, all);
    const first = assigns.length > 0 ? assigns[0].pos : args[0].pos;
    const last = args.length > 0 ? args[args.length - 1].end : assigns[assigns.length - 1].end;
    return makeStmt({ type: 'CallExpr', pos: first, end: last, assigns, args }, all);
  }

  /** Compound commands and the other statements that are not simple commands. */
  private compound(n: TsNode): A.Command {
    const cs = kids(n);
    switch (n.type) {
      case 'variable_assignment': {
        const a = this.assign(n);
        return { type: 'CallExpr', pos: a.pos, end: a.end, assigns: [a], args: [] };
      }
      case 'variable_assignments': {
        const assigns = cs.filter((c) => c.type === 'variable_assignment').map((c) => this.assign(c));
        return { type: 'CallExpr', pos: assigns[0].pos, end: assigns[assigns.length - 1].end, assigns, args: [] };
      }
      case 'declaration_command':
        return this.declaration(n);
      case 'unset_command': {
        const kw = cs[0];
        const rest = this.groupWords(cs.slice(1).filter((c) => c.type !== 'comment'), 'word');
        const args = [this.litWord(kw.startIndex, kw.endIndex), ...rest];
        return { type: 'CallExpr', pos: args[0].pos, end: args[args.length - 1].end, assigns: [], args };
      }
      case 'subshell':
        return { type: 'Subshell', pos: n.startIndex, end: n.endIndex, stmts: this.stmtList(cs) };
      case 'compound_statement': {
        if (cs[0]?.type === '((') {
          const close = cs.find((c) => c.type === '))');
          const arith = this.arith(n.startIndex + 2, close ? close.startIndex : n.endIndex, cs.slice(1));
          return { type: 'ArithmCmd', pos: n.startIndex, end: n.endIndex, arith };
        }
        return { type: 'Block', pos: n.startIndex, end: n.endIndex, stmts: this.stmtList(cs) };
      }
      case 'if_statement':
        return this.ifClause(n);
      case 'while_statement': {
        const cond = this.stmtList(n.childrenForFieldName('condition').filter((c): c is TsNode => c !== null));
        const body = n.childForFieldName('body');
        return {
          type: 'WhileClause',
          pos: n.startIndex,
          end: n.endIndex,
          until: cs[0]?.type === 'until',
          cond,
          do: body ? this.stmtList(kids(body)) : []
        };
      }
      case 'for_statement':
        return this.forClause(n);
      case 'c_style_for_statement': {
        const open = cs.find((c) => c.type === '((');
        const close = cs.find((c) => c.type === '))');
        if (!open || !close) this.gap(n, 'a C-style for without (( ))');
        const inner = cs.filter((c) => c.startIndex >= open.endIndex && c.endIndex <= close.startIndex);
        const arith = this.arith(open.endIndex, close.startIndex, inner);
        const body = n.childForFieldName('body');
        return {
          type: 'ForClause',
          pos: n.startIndex,
          end: n.endIndex,
          select: false,
          loop: { type: 'CStyleLoop', pos: open.startIndex, end: close.endIndex, arith },
          do: body ? this.stmtList(kids(body)) : []
        };
      }
      case 'case_statement':
        return this.caseClause(n);
      case 'function_definition': {
        const name = n.childForFieldName('name');
        const body = n.childForFieldName('body');
        if (!name || !body) this.gap(n, 'a function without a name or body');
        const redirs: A.Redirect[] = [];
        const extra: TsNode[] = [];
        for (const c of cs) {
          if (c.type === 'file_redirect' || c.type === 'herestring_redirect') {
            const r = this.redirect(c);
            redirs.push(r.redir);
            extra.push(...r.extra);
          }
        }
        if (extra.length > 0) this.gap(extra[0], 'words after a function body');
        const bodyStmt = this.stmt(body, redirs);
        const lit = this.litWord(name.startIndex, name.endIndex);
        return {
          type: 'FuncDecl',
          pos: n.startIndex,
          end: bodyStmt.end,
          name: litOf(lit) ?? name.text,
          nameSpan: { pos: name.startIndex, end: name.endIndex },
          body: bodyStmt
        };
      }
      case 'test_command':
        return this.test(n);
      default:
        this.gap(n, 'an unexpected statement');
    }
  }

  private ifClause(n: TsNode): A.IfClause {
    const cs = kids(n);
    const cond = this.stmtList(n.childrenForFieldName('condition').filter((c): c is TsNode => c !== null));
    const thenTok = cs.find((c) => c.type === 'then');
    const rest = cs.filter((c) => c.type === 'elif_clause' || c.type === 'else_clause');
    const stopAt = rest.length > 0 ? rest[0].startIndex : n.endIndex;
    const thenStmts = this.stmtList(cs.filter((c) => thenTok && c.startIndex >= thenTok.endIndex && c.startIndex < stopAt));
    const end = n.endIndex;
    let els: A.IfClause | null = null;
    for (let i = rest.length - 1; i >= 0; i--) {
      const r = rest[i];
      const rc = kids(r);
      if (r.type === 'else_clause') {
        els = { type: 'IfClause', kind: 'else', pos: r.startIndex, end, cond: [], then: this.stmtList(rc.slice(1)), else: null };
      } else {
        const t = rc.findIndex((c) => c.type === 'then');
        if (t < 0) this.gap(r, 'an elif without then');
        els = {
          type: 'IfClause',
          kind: 'elif',
          pos: r.startIndex,
          end,
          cond: this.stmtList(rc.slice(1, t)),
          then: this.stmtList(rc.slice(t + 1)),
          else: els
        };
      }
    }
    return { type: 'IfClause', kind: 'if', pos: n.startIndex, end, cond, then: thenStmts, else: els };
  }

  private forClause(n: TsNode): A.ForClause {
    const cs = kids(n);
    const variable = n.childForFieldName('variable');
    if (!variable) this.gap(n, 'a for without a variable');
    const hasIn = cs.some((c) => c.type === 'in' && !c.isNamed);
    const values = n.childrenForFieldName('value').filter((c): c is TsNode => c !== null && c.type !== 'comment');
    const items = hasIn ? this.groupWords(values, 'word') : null;
    const body = n.childForFieldName('body');
    const name = variable.text;
    return {
      type: 'ForClause',
      pos: n.startIndex,
      end: n.endIndex,
      select: cs[0]?.type === 'select',
      loop: {
        type: 'WordIter',
        pos: variable.startIndex,
        end: items && items.length > 0 ? items[items.length - 1].end : variable.endIndex,
        name,
        nameSpan: { pos: variable.startIndex, end: variable.endIndex },
        items
      },
      do: body ? this.stmtList(kids(body)) : []
    };
  }

  private caseClause(n: TsNode): A.CaseClause {
    const value = n.childForFieldName('value');
    if (!value) this.gap(n, 'a case without a word');
    const items: A.CaseItem[] = [];
    for (const it of kids(n)) {
      if (it.type !== 'case_item') continue;
      const ic = kids(it);
      const close = ic.find((c) => c.type === ')' && !c.isNamed);
      const patNodes = it.childrenForFieldName('value').filter((c): c is TsNode => c !== null);
      const patterns = this.groupWords(patNodes, 'word');
      const body = ic.filter((c) => close && c.startIndex >= close.endIndex);
      const term = ic.find((c) => c.type === ';;' || c.type === ';&' || c.type === ';;&');
      const stmts = this.stmtList(body.filter((c) => c !== term));
      items.push({
        type: 'CaseItem',
        pos: it.startIndex,
        // as mvdan/sh: after `;;`, or (last item without one) after its last statement
        end: term ? term.endIndex : stmts.length > 0 ? stmts[stmts.length - 1].end : close ? close.endIndex : it.endIndex,
        patterns,
        stmts,
        op: term ? (term.type as A.CaseItem['op']) : null
      });
    }
    return { type: 'CaseClause', pos: n.startIndex, end: n.endIndex, word: this.wordOf([value], 'word'), items };
  }

  private declaration(n: TsNode): A.DeclClause {
    const cs = kids(n).filter((c) => c.type !== 'comment');
    const kw = cs[0];
    const args: (A.Assign | A.Word)[] = [];
    const groups = groupAdjacent(cs.slice(1));
    for (const g of groups) {
      if (g[0].type === 'variable_assignment') {
        args.push(this.assign(g[0], g.slice(1)));
        continue;
      }
      const w = this.wordOf(g, 'word');
      const lit = litOf(w);
      if (lit !== null && NAME_RE.test(lit)) {
        args.push({
          type: 'Assign',
          pos: w.pos,
          end: w.end,
          name: lit,
          nameSpan: { pos: w.pos, end: w.end },
          append: false,
          naked: true,
          index: null,
          value: null,
          array: null
        });
      } else args.push(w);
    }
    return {
      type: 'DeclClause',
      pos: n.startIndex,
      end: args.length > 0 ? args[args.length - 1].end : kw.endIndex,
      variant: kw.text,
      variantSpan: { pos: kw.startIndex, end: kw.endIndex },
      args
    };
  }

  /** An assignment; `glued` are nodes after it that belong to its value (see command()). */
  assign(n: TsNode, glued: TsNode[] = []): A.Assign {
    const nameNode = n.childForFieldName('name');
    if (!nameNode) this.gap(n, 'an assignment without a name');
    const cs = kids(n);
    const opTok = cs.find((c) => !c.isNamed && (c.type === '=' || c.type === '+='));
    const value = n.childForFieldName('value');
    let name = nameNode.text;
    let nameSpan: A.Span = { pos: nameNode.startIndex, end: nameNode.endIndex };
    let index: string | null = null;
    if (nameNode.type === 'subscript') {
      const base = nameNode.childForFieldName('name');
      const open = kids(nameNode).find((c) => c.type === '[');
      const close = kids(nameNode).find((c) => c.type === ']');
      if (!base || !open || !close) this.gap(nameNode, 'an array element without brackets');
      name = base.text;
      nameSpan = { pos: base.startIndex, end: base.endIndex };
      index = this.src.slice(open.endIndex, close.startIndex);
    }
    const opEnd = opTok ? opTok.endIndex : nameNode.endIndex;
    const a: A.Assign = {
      type: 'Assign',
      pos: n.startIndex,
      end: opEnd,
      name,
      nameSpan,
      append: opTok?.type === '+=',
      naked: false,
      index,
      value: null,
      array: null
    };
    if (value && value.type === 'array') {
      a.array = this.groupWords(
        kids(value).filter((c) => c.isNamed && c.type !== 'comment'),
        'word'
      );
      a.end = value.endIndex;
    } else if (value || glued.length > 0) {
      // the value runs to the end of the assignment (tree-sitter-bash may split `$"…"`)
      const rest = [...cs.filter((c) => c.startIndex >= opEnd), ...glued];
      a.value = this.wordOf(rest, 'word');
      a.end = a.value.end;
    } else {
      a.value = { type: 'Word', pos: opEnd, end: opEnd, parts: [] };
    }
    return a;
  }

  private test(n: TsNode): A.Command {
    const cs = kids(n);
    const open = cs[0];
    const close = cs[cs.length - 1];
    const tokens: TsNode[] = [];
    for (const c of cs.slice(1, -1)) testTokens(c, tokens);
    if (open.type === '[[') {
      // operators are words of their own even when written without blanks, as in mvdan/sh
      const groups: TsNode[][] = [];
      for (const t of tokens) {
        const prev = groups[groups.length - 1];
        const op = !t.isNamed && TEST_OPS.has(t.type);
        const prevOp = prev && prev.length === 1 && !prev[0].isNamed && TEST_OPS.has(prev[0].type);
        if (prev && !op && !prevOp && prev[prev.length - 1].endIndex === t.startIndex) prev.push(t);
        else groups.push([t]);
      }
      return { type: 'TestClause', pos: n.startIndex, end: n.endIndex, words: groups.map((g) => this.wordOf(g, 'word')) };
    }
    const words = [this.litWord(open.startIndex, open.endIndex), ...this.groupWords(tokens, 'word')];
    if (close.type === ']') words.push(this.litWord(close.startIndex, close.endIndex));
    return { type: 'CallExpr', pos: n.startIndex, end: n.endIndex, assigns: [], args: words };
  }

  /**
   * Grammar gap: tree-sitter-bash sometimes leaves a word out of the tree (`a - 4>&-` loses the
   * `-`). Text between the children of a command or redirected statement that is not blank is
   * such a word; plain ones are restored as literal words, anything else is reported.
   */
  private strays(cs: TsNode[]): A.Word[] {
    const out: A.Word[] = [];
    for (let i = 1; i < cs.length; i++) {
      const from = cs[i - 1].endIndex;
      const to = cs[i].startIndex;
      if (to <= from) continue;
      const re = /\\\n|\s+|[^\s]+/g;
      const gap = this.src.slice(from, to);
      for (let m = re.exec(gap); m; m = re.exec(gap)) {
        const tok = m[0];
        if (tok === '\\\n' || /^\s+$/.test(tok)) continue;
        const pos = from + m.index;
        if (!/^[^\s$`"'\\<>|&;(){}#]+$/.test(tok)) throw new TreeGap(`tree-sitter-bash left out ${JSON.stringify(tok)}`, pos);
        out.push(this.litWord(pos, pos + tok.length));
      }
    }
    return out;
  }

  // ---- redirections -----------------------------------------------------------------------

  /** A file or here-string redirection; `extra` are words tree-sitter-bash took as its target but which are arguments (`cmd >f arg`). */
  private redirect(n: TsNode): { redir: A.Redirect; extra: TsNode[] } {
    const cs = kids(n);
    const fd = n.childForFieldName('descriptor');
    let opTok: TsNode | null = null;
    let op = '';
    const targets: TsNode[] = [];
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (fd && c.id === fd.id) continue;
      if (!c.isNamed && opTok === null) {
        opTok = c;
        op = c.type;
        // grammar gap: `<>` reads as `<` then ERROR(">")
        const next = cs[i + 1];
        if (op === '<' && next?.type === 'ERROR' && next.text === '>' && next.startIndex === c.endIndex) {
          this.mended.add(next.id);
          op = '<>';
          i++;
        }
        continue;
      }
      if (c.type === 'comment') continue;
      targets.push(c);
    }
    if (!opTok) this.gap(n, 'a redirection without an operator');
    const opPos = opTok.startIndex;
    let word: A.Word;
    let extra: TsNode[] = [];
    if (op === '>&-' || op === '<&-') {
      // `3>&-` closes the descriptor: operator `>&`, word `-`
      op = op.slice(0, 2);
      word = this.litWord(opPos + 2, opPos + 3);
    } else {
      const groups = groupAdjacent(targets);
      if (groups.length === 0) this.gap(n, 'a redirection without a target');
      word = this.wordOf(groups[0], 'word');
      extra = groups.slice(1).flat();
    }
    if (!REDIR_OPS.has(op as A.RedirOp)) this.gap(opTok, `the redirection operator ${op}`);
    return { redir: { type: 'Redirect', pos: n.startIndex, end: word.end, op: op as A.RedirOp, opPos, n: fd ? fd.text : null, word, hdoc: null }, extra };
  }

  /**
   * A here-document. tree-sitter-bash puts what follows the delimiter on the same line inside
   * the heredoc_redirect node: more redirections, arguments, `| cmd`, `&& cmd`. The
   * redirections are returned (the here-document first), arguments go to `extra`, and the
   * pipes and lists to `tails`, to be applied to the statement.
   */
  private heredoc(n: TsNode, extra: TsNode[], tails: { op: A.BinCmdOp; pos: number; stmt: A.Stmt }[]): A.Redirect[] {
    const cs = kids(n);
    const fd = n.childForFieldName('descriptor');
    const opTok = cs.find((c) => c.type === '<<' || c.type === '<<-');
    const start = cs.find((c) => c.type === 'heredoc_start');
    const body = cs.find((c) => c.type === 'heredoc_body');
    const endTok = cs.find((c) => c.type === 'heredoc_end');
    if (!opTok || !start) this.gap(n, 'a here-document without a delimiter');
    const word = this.delimiterWord(start.startIndex, start.endIndex);
    const quoted = /['"\\]/.test(start.text);
    const bodyEnd = endTok ? lineStart(this.src, endTok.startIndex) : body ? body.endIndex : start.endIndex;
    // the body starts on the line after the operator's (tree-sitter-bash starts it after the tabs
    // of <<- and after empty first lines)
    const nl = this.src.indexOf('\n', start.endIndex);
    const bodyStart = nl < 0 ? bodyEnd : Math.min(nl + 1, bodyEnd);
    let parts: A.WordPart[];
    if (quoted) {
      const value = this.src.slice(bodyStart, bodyEnd);
      parts = value ? [{ type: 'Lit', pos: bodyStart, end: bodyEnd, value, raw: value }] : [];
    } else {
      parts = this.parts(body ? kids(body) : [], bodyStart, bodyEnd, 'heredoc');
    }
    const hdoc: A.Word = { type: 'Word', pos: bodyStart, end: bodyEnd, parts };
    const out: A.Redirect[] = [
      { type: 'Redirect', pos: n.startIndex, end: bodyEnd, op: opTok.type as A.RedirOp, opPos: opTok.startIndex, n: fd ? fd.text : null, word, hdoc }
    ];
    const right = n.childForFieldName('right');
    for (const c of cs) {
      if (c.type === 'file_redirect' || c.type === 'herestring_redirect') {
        const r = this.redirect(c);
        out.push(r.redir);
        extra.push(...r.extra);
      } else if (c.type === 'pipeline') {
        // `cat <<EOF | grep x`: the node holds `| grep x`
        let op: { op: A.BinCmdOp; pos: number } | null = null;
        for (const p of kids(c)) {
          if (!p.isNamed && (p.type === '|' || p.type === '|&')) op = { op: p.type, pos: p.startIndex };
          else if (p.isNamed && STATEMENTS.has(p.type) && op) {
            tails.push({ ...op, stmt: this.stmt(p) });
            op = null;
          }
        }
      } else if (!c.isNamed && (c.type === '&&' || c.type === '||')) {
        if (right && right.startIndex < bodyStart) tails.push({ op: c.type, pos: c.startIndex, stmt: this.stmt(right) });
        else {
          // `cat <<EOF &&` with the next command after the body: tree-sitter-bash takes the
          // body's first line as that command (silently); the real one is the next statement
          this.pendingJoin = { op: c.type, pos: c.startIndex };
        }
      }
    }
    for (const a of n.childrenForFieldName('argument')) if (a) extra.push(a);
    return out;
  }

  /** The delimiter word of a here-document (`EOF`, `'EOF'`, `"EOF"`, `\EOF`), split into parts. */
  private delimiterWord(pos: number, end: number): A.Word {
    const parts: A.WordPart[] = [];
    let i = pos;
    let litStart = -1;
    let value = '';
    const flush = () => {
      if (litStart >= 0) {
        parts.push({ type: 'Lit', pos: litStart, end: i, value, raw: this.src.slice(litStart, i) });
        litStart = -1;
        value = '';
      }
    };
    while (i < end) {
      const c = this.src[i];
      if (c === "'" || c === '"') {
        flush();
        const close = this.src.indexOf(c, i + 1);
        const j = close < 0 || close >= end ? end - 1 : close;
        const inner = this.src.slice(i + 1, j);
        if (c === "'") parts.push({ type: 'SglQuoted', pos: i, end: j + 1, dollar: false, value: inner });
        else
          parts.push({
            type: 'DblQuoted',
            pos: i,
            end: j + 1,
            dollar: false,
            parts: inner ? [{ type: 'Lit', pos: i + 1, end: j, value: inner, raw: inner }] : []
          });
        i = j + 1;
        continue;
      }
      if (litStart < 0) litStart = i;
      if (c === '\\' && i + 1 < end) {
        value += this.src[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    flush();
    return { type: 'Word', pos, end, parts };
  }

  // ---- words ------------------------------------------------------------------------------

  /** Arguments (or items) from nodes: nodes that touch form one word. */
  groupWords(nodes: TsNode[], mode: Mode): A.Word[] {
    return groupAdjacent(nodes.filter((c) => c.type !== 'comment' && c.type !== 'ERROR')).map((g) => this.wordOf(g, mode));
  }

  wordOf(nodes: TsNode[], mode: Mode): A.Word {
    const pos = nodes[0].startIndex;
    const end = nodes[nodes.length - 1].endIndex;
    return { type: 'Word', pos, end, parts: this.parts(nodes, pos, end, mode) };
  }

  private litWord(pos: number, end: number): A.Word {
    const raw = this.src.slice(pos, end);
    return { type: 'Word', pos, end, parts: [{ type: 'Lit', pos, end, value: raw, raw }] };
  }

  /**
   * The parts of the text [from, to): the expansions and quotes among `nodes` (searched inside
   * concatenations and other containers) become parts; all other text is literal, merged into
   * one Lit per run as mvdan/sh does.
   */
  parts(nodes: TsNode[], from: number, to: number, mode: Mode): A.WordPart[] {
    const out: A.WordPart[] = [];
    let lit = from;
    const visit = (list: TsNode[]) => {
      for (let i = 0; i < list.length; i++) {
        const n = list[i];
        if (n.startIndex < lit || n.endIndex > to || n.startIndex >= to) continue;
        if (n.type === 'comment') continue;
        // `$"…"`: tree-sitter-bash may give a lone "$" before the string (grammar gap)
        const next = list[i + 1];
        if (!n.isNamed && n.type === '$' && next?.type === 'string' && next.startIndex === n.endIndex && next.endIndex <= to) {
          this.literal(lit, n.startIndex, mode, out);
          const q = this.dblQuoted(next, true);
          out.push(q);
          lit = next.endIndex;
          i++;
          continue;
        }
        // `$ $x`: tree-sitter-bash reads `$ ` as a special parameter; a lone `$` is literal
        if (n.type === 'simple_expansion' && !validSimpleExpansion(n)) continue;
        if (PART_NODES.has(n.type) && !(mode === 'paramdq' && n.type === 'raw_string')) {
          // (in "${x:-'a'}" the single quotes are literal: not a part)
          // the part may start after the node (tree-sitter-bash puts the blank before `$x` in it)
          const p = this.part(n, mode);
          this.literal(lit, p.pos, mode, out);
          out.push(p);
          lit = Math.max(n.endIndex, p.end);
        } else if (n.childCount > 0 && n.type !== 'regex') {
          visit(kids(n));
        }
      }
    };
    visit(nodes);
    this.literal(lit, to, mode, out);
    return out;
  }

  /** Literal text [from, to) in `mode`; expansions tree-sitter-bash left inside literal tokens are read here. */
  private literal(from: number, to: number, mode: Mode, out: A.WordPart[]): void {
    if (to <= from) return;
    let start = from;
    let i = from;
    const push = (end: number) => {
      if (end <= start) return;
      const raw = this.src.slice(start, end);
      const prev = out[out.length - 1];
      if (prev && prev.type === 'Lit' && prev.end === start) {
        prev.raw += raw;
        prev.value += unescape(raw, mode);
        prev.end = end;
      } else out.push({ type: 'Lit', pos: start, end, value: unescape(raw, mode), raw });
    };
    while (i < to) {
      const c = this.src[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '`' || (c === '$' && i + 1 < to)) {
        const span = expansionSpan(this.src, i, to);
        if (span !== null) {
          const part = this.fragmentPart(i, span, mode);
          if (part) {
            push(i);
            out.push(part);
            start = span;
            i = span;
            continue;
          }
        }
      }
      i++;
    }
    push(Math.min(i, to));
  }

  /**
   * Grammar gap: an expansion inside text tree-sitter-bash read as literal (a pattern, a regex, a
   * back-quote in a here-document). It is parsed alone, as an argument of `:`, and shifted.
   */
  private fragmentPart(pos: number, end: number, mode: Mode): A.WordPart | null {
    const text = this.src.slice(pos, end);
    const quote = mode === 'word' ? '' : '"';
    const prefix = ': ' + quote;
    const sub = prefix + text + quote;
    const tree = this.parser.parse(sub);
    if (!tree) return null;
    try {
      if (tree.rootNode.hasError) return null;
      const cmd = tree.rootNode.namedChildren.find((c) => c?.type === 'command');
      const arg = cmd?.childrenForFieldName('argument')[0];
      if (!arg) return null;
      const conv = new Converter(sub, this.parser);
      let parts: A.WordPart[];
      if (quote) {
        if (arg.type !== 'string') return null;
        parts = conv.dblQuoted(arg, false).parts;
      } else parts = conv.parts([arg], arg.startIndex, arg.endIndex, 'word');
      if (parts.length !== 1 || parts[0].type === 'Lit') return null;
      shiftSpans(parts[0], pos - prefix.length);
      return parts[0];
    } finally {
      tree.delete();
    }
  }

  private part(n: TsNode, mode: Mode): A.WordPart {
    switch (n.type) {
      case 'string':
        return this.dblQuoted(n, false);
      case 'translated_string': {
        const s = kids(n).find((c) => c.type === 'string');
        if (!s) this.gap(n, 'a $"…" without a string');
        const q = this.dblQuoted(s, true);
        q.pos = n.startIndex;
        return q;
      }
      case 'raw_string':
        return { type: 'SglQuoted', pos: n.startIndex, end: n.endIndex, dollar: false, value: this.src.slice(n.startIndex + 1, n.endIndex - 1) };
      case 'ansi_c_string':
        return { type: 'SglQuoted', pos: n.startIndex, end: n.endIndex, dollar: true, value: ansiC(this.src.slice(n.startIndex + 2, n.endIndex - 1)) };
      case 'simple_expansion':
        return this.simpleExpansion(n);
      case 'expansion':
        return this.paramExp(n, mode === 'dq' || mode === 'heredoc' || mode === 'paramdq');
      case 'command_substitution':
        return this.cmdSubst(n);
      case 'arithmetic_expansion': {
        const cs = kids(n);
        const open = cs[0];
        const close = cs[cs.length - 1];
        const closeTok = close && !close.isNamed && (close.type === '))' || close.type === ']') ? close : null;
        const arith = this.arith(open.endIndex, closeTok ? closeTok.startIndex : n.endIndex, cs.slice(1, closeTok ? -1 : undefined));
        return { type: 'ArithmExp', pos: this.start(n), end: n.endIndex, arith };
      }
      case 'process_substitution': {
        const cs = kids(n);
        return { type: 'ProcSubst', pos: n.startIndex, end: n.endIndex, op: cs[0].type === '>(' ? '>(' : '<(', stmts: this.stmtList(cs.slice(1)) };
      }
      default:
        this.gap(n, 'an unexpected word part');
    }
  }

  dblQuoted(n: TsNode, dollar: boolean): A.DblQuoted {
    const pos = dollar ? n.startIndex - 1 : n.startIndex;
    const cs = kids(n);
    const inner = cs.filter((c) => !(c.type === '"' && !c.isNamed));
    const closed = cs.length > 1 && cs[cs.length - 1].type === '"';
    const to = closed ? n.endIndex - 1 : n.endIndex;
    return { type: 'DblQuoted', pos, end: n.endIndex, dollar, parts: this.parts(inner, n.startIndex + 1, to, 'dq') };
  }

  private simpleExpansion(n: TsNode): A.WordPart {
    const name = kids(n).find((c) => c.isNamed);
    const pos = this.start(n);
    let param = name ? name.text : '';
    let end = n.endIndex;
    // `$10` is `$1` then `0`
    if (/^[0-9]{2,}$/.test(param)) {
      param = param[0];
      end = pos + 2;
    }
    return {
      type: 'ParamExp',
      pos,
      end,
      short: true,
      param,
      paramSpan: { pos: pos + 1, end },
      excl: false,
      length: false,
      index: null,
      exp: null,
      repl: null,
      slice: null,
      nested: []
    };
  }

  /** Where a node really starts: tree-sitter-bash may include the blanks before `$x` or `${x}` inside double quotes. */
  private start(n: TsNode): number {
    let i = n.startIndex;
    while (i < n.endIndex && (this.src[i] === ' ' || this.src[i] === '\t')) i++;
    return i < n.endIndex ? i : n.startIndex;
  }

  private paramExp(n: TsNode, inDq: boolean): A.ParamExp {
    const cs = kids(n);
    const closeTok = cs[cs.length - 1]?.type === '}' ? cs[cs.length - 1] : null;
    let close = closeTok ? closeTok.startIndex : n.endIndex;
    let end = n.endIndex;
    if (closeTok && this.src[close - 1] === '\\') {
      // grammar gap: `${x%\}*}` ends at the escaped brace in tree-sitter-bash; find the real one
      const real = expansionSpan(this.src, this.start(n), this.src.length);
      if (real === null) this.gap(n, 'a parameter expansion with an escaped brace');
      end = real;
      close = real - 1;
    }
    let i = 1; // after "${"
    let length = false;
    let excl = false;
    const nameIdx = cs.findIndex((c, k) => k >= 1 && (c.type === 'variable_name' || c.type === 'special_variable_name' || c.type === 'subscript'));
    if (nameIdx > 1 && !cs[1].isNamed) {
      if (cs[1].type === '#') length = true;
      else if (cs[1].type === '!') excl = true;
      i = 2;
    }
    const pos = this.start(n);
    const pe: A.ParamExp = {
      type: 'ParamExp',
      pos,
      end,
      short: false,
      param: '',
      paramSpan: { pos: pos + 2, end: pos + 2 },
      excl,
      length,
      index: null,
      exp: null,
      repl: null,
      slice: null,
      nested: []
    };
    if (nameIdx < 0) {
      // `${#}`: the number of arguments (the operator is the name)
      const t = cs[1];
      if (t && !t.isNamed && t.endIndex === close) {
        pe.param = t.text;
        pe.paramSpan = { pos: t.startIndex, end: t.endIndex };
        return pe;
      }
      this.gap(n, 'a parameter expansion without a name');
    }
    const nameNode = cs[nameIdx];
    if (nameNode.type === 'subscript') {
      const base = nameNode.childForFieldName('name');
      const sc = kids(nameNode);
      const open = sc.find((c) => c.type === '[');
      const shut = sc.find((c) => c.type === ']');
      if (!base || !open || !shut) this.gap(nameNode, 'an array element without brackets');
      pe.param = base.text;
      pe.paramSpan = { pos: base.startIndex, end: base.endIndex };
      pe.index = this.src.slice(open.endIndex, shut.startIndex);
      pe.nested.push(...this.arith(open.endIndex, shut.startIndex, sc.filter((c) => c.startIndex >= open.endIndex && c.endIndex <= shut.startIndex)).parts);
    } else {
      pe.param = nameNode.text;
      pe.paramSpan = { pos: nameNode.startIndex, end: nameNode.endIndex };
    }
    i = nameIdx + 1;
    const opTok = cs[i];
    if (!opTok || opTok === closeTok || opTok.isNamed) return pe;
    const op = opTok.type;
    const from = opTok.endIndex;
    const inner = cs.slice(i + 1, closeTok ? -1 : undefined);
    const wordMode: Mode = inDq ? 'paramdq' : 'word';
    const region = (a: number, b: number): A.Word => ({ type: 'Word', pos: a, end: b, parts: this.parts(inner, a, b, wordMode) });
    if (excl && (op === '@' || op === '*') && from === close) return pe;
    if (op === ':') {
      pe.slice = this.src.slice(from, close);
      pe.nested.push(...this.arith(from, close, inner).parts);
      return pe;
    }
    if (op === '/' || op === '//' || op === '/#' || op === '/%') {
      const origStart = opTok.startIndex + (op === '//' ? 2 : 1);
      const sep = findSeparator(this.src, origStart, close, inner);
      pe.repl = {
        all: op === '//',
        orig: region(origStart, sep ?? close),
        with: sep === null ? null : region(sep + 1, close)
      };
      return pe;
    }
    const known: A.ParamOp[] = [':-', '-', ':=', '=', ':?', '?', ':+', '+', '#', '##', '%', '%%', '^', '^^', ',', ',,', '@'];
    if (!known.includes(op as A.ParamOp)) this.gap(opTok, `the expansion operator ${op}`);
    pe.exp = { op: op as A.ParamOp, word: region(from, close) };
    return pe;
  }

  private cmdSubst(n: TsNode): A.CmdSubst {
    const cs = kids(n);
    const backquotes = cs[0]?.type === '`';
    if (backquotes) {
      const inner = this.src.slice(n.startIndex + 1, n.endIndex - 1);
      if (/\\[`$\\]/.test(inner)) {
        // inside back-quotes, \` \$ \\ are escapes: read the command after removing them, as mvdan/sh does
        const text = inner.replace(/\\([`$\\])/g, '$1');
        return { type: 'CmdSubst', pos: n.startIndex, end: n.endIndex, backquotes: true, stmts: this.fragmentStmts(text, n.startIndex + 1) };
      }
    }
    const stmts = this.stmtList(cs);
    // `$(< file)`: tree-sitter-bash gives the redirection alone
    for (const c of cs) {
      if (c.type === 'file_redirect') {
        const r = this.redirect(c);
        stmts.push(makeStmt(null, [r.redir]));
      }
    }
    return { type: 'CmdSubst', pos: this.start(n), end: n.endIndex, backquotes, stmts };
  }

  /** Statements parsed from a derived text, their positions shifted by `delta`. */
  private fragmentStmts(text: string, delta: number): A.Stmt[] {
    const tree = this.parser.parse(text);
    if (!tree) return [];
    try {
      const conv = new Converter(text, this.parser);
      const stmts = conv.stmtList(kids(tree.rootNode));
      if (tree.rootNode.hasError) this.fragmentErrors.push({ at: delta, message: 'tree-sitter-bash could not read this back-quoted command' });
      shiftSpans(stmts, delta);
      return stmts;
    } finally {
      tree.delete();
    }
  }

  // ---- arithmetic -------------------------------------------------------------------------

  /** An arithmetic expression [from, to): the names it reads and assigns, and its expansions. */
  private arith(from: number, to: number, nodes: TsNode[]): A.Arithm {
    const names: A.Arithm['names'] = [];
    const assigns: A.Arithm['assigns'] = [];
    const parts: A.WordPart[] = [];
    const ident = (n: TsNode | null): TsNode | null => {
      if (!n) return null;
      if (n.type === 'subscript') return n.childForFieldName('name');
      if ((n.type === 'variable_name' || n.type === 'word') && NAME_RE.test(n.text)) return n;
      return null;
    };
    const walk = (n: TsNode): void => {
      if (n.type === 'comment') return;
      if (PART_NODES.has(n.type) && n.type !== 'string' && n.type !== 'raw_string') {
        parts.push(this.part(n, 'dq'));
        return;
      }
      switch (n.type) {
        case 'variable_name':
          if (NAME_RE.test(n.text)) names.push({ name: n.text, pos: n.startIndex });
          return;
        case 'word':
          scanArithText(this.src, n.startIndex, n.endIndex, names, assigns);
          return;
        case 'binary_expression':
        case 'variable_assignment': {
          const left = n.childForFieldName(n.type === 'variable_assignment' ? 'name' : 'left');
          const opTok = n.type === 'variable_assignment' ? kids(n).find((c) => !c.isNamed) : n.childForFieldName('operator');
          const op = opTok?.type ?? '';
          const id = ident(left);
          if (id && /^([-+*/%&^|]|<<|>>|\*\*)?=$/.test(op)) {
            assigns.push({ name: id.text, pos: id.startIndex });
            if (op !== '=') names.push({ name: id.text, pos: id.startIndex });
            if (left?.type === 'subscript') {
              const idx = left.childForFieldName('index');
              if (idx) walk(idx);
            }
            for (const c of kids(n)) if (c !== left && c.id !== left?.id) walk(c);
            return;
          }
          break;
        }
        case 'postfix_expression':
        case 'unary_expression': {
          const opTok = n.childForFieldName('operator');
          const operand = kids(n).find((c) => c.isNamed && c.id !== opTok?.id);
          const id = ident(operand ?? null);
          if (id && (opTok?.type === '++' || opTok?.type === '--')) {
            assigns.push({ name: id.text, pos: id.startIndex });
            names.push({ name: id.text, pos: id.startIndex });
            if (operand?.type === 'subscript') {
              const idx = operand.childForFieldName('index');
              if (idx) walk(idx);
            }
            return;
          }
          break;
        }
      }
      for (const c of kids(n)) walk(c);
    };
    for (const n of nodes) walk(n);
    return { pos: from, end: to, raw: this.src.slice(from, to), names, assigns, parts };
  }
}

// ---- helpers --------------------------------------------------------------------------------

function makeStmt(cmd: A.Command | null, redirs: A.Redirect[]): A.Stmt {
  const s: A.Stmt = { type: 'Stmt', pos: 0, end: 0, cmd, negated: false, background: false, redirs: [...redirs].sort((a, b) => a.pos - b.pos) };
  s.pos = stmtStart(s);
  s.end = stmtEnd(s);
  return s;
}

/** Where a statement starts: its command or its first redirection, whichever is first. */
function stmtStart(s: A.Stmt): number {
  let pos = s.cmd ? s.cmd.pos : Infinity;
  for (const r of s.redirs) pos = Math.min(pos, r.pos);
  return pos === Infinity ? 0 : pos;
}

/** Where a statement ends: a here-document ends the statement at its delimiter word, not its body. */
function stmtEnd(s: A.Stmt): number {
  let end = s.cmd ? s.cmd.end : s.pos;
  for (const r of s.redirs) end = Math.max(end, r.hdoc ? r.word.end : r.end);
  return end;
}

/**
 * `x | y` where a side is an and-or list: tree-sitter-bash makes one when a redirection follows
 * the list (issue #345: `a && b 2>/dev/null | c` reads as `(a && b 2>/dev/null) | c`). A pipe
 * binds tighter than `&&` and `||`, so the list is opened: `a && (b | c)`.
 */
function pipeJoin(op: A.BinCmdOp, opPos: number, x: A.Stmt, y: A.Stmt): A.Stmt {
  const plain = (s: A.Stmt, ops: string[]) => s.cmd?.type === 'BinaryCmd' && ops.includes(s.cmd.op) && !s.negated && !s.background && s.redirs.length === 0;
  if (plain(x, ['&&', '||']) && x.cmd?.type === 'BinaryCmd') return binary(x.cmd.op, x.cmd.opPos, x.cmd.x, pipeJoin(op, opPos, x.cmd.y, y));
  if (plain(y, ['&&', '||']) && y.cmd?.type === 'BinaryCmd') return binary(y.cmd.op, y.cmd.opPos, pipeJoin(op, opPos, x, y.cmd.x), y.cmd.y);
  // `a | (b | c)` from a nested pipeline node: left-associative like the rest
  if (plain(y, ['|', '|&']) && y.cmd?.type === 'BinaryCmd') return pipeJoin(y.cmd.op, y.cmd.opPos, pipeJoin(op, opPos, x, y.cmd.x), y.cmd.y);
  return binary(op, opPos, x, y);
}

function binary(op: A.BinCmdOp, opPos: number, x: A.Stmt, y: A.Stmt): A.Stmt {
  return {
    type: 'Stmt',
    pos: x.pos,
    end: y.end,
    negated: false,
    background: false,
    redirs: [],
    cmd: { type: 'BinaryCmd', pos: x.pos, end: y.end, op, opPos, x, y }
  };
}

/**
 * Redirections written after a pipeline or list belong to its last command (tree-sitter-bash
 * puts them on the whole, `{ a; } | b > out`); on anything else, to the statement itself.
 */
function attachRedirs(s: A.Stmt, redirs: A.Redirect[]): void {
  if (redirs.length === 0) return;
  const cmd = s.cmd;
  if (cmd?.type === 'BinaryCmd') {
    attachRedirs(cmd.y, redirs);
    cmd.end = cmd.y.end;
    s.end = cmd.end;
    return;
  }
  if (cmd?.type === 'TimeClause' && cmd.stmt && s.redirs.length === 0) {
    attachRedirs(cmd.stmt, redirs);
    cmd.end = cmd.stmt.end;
    s.end = cmd.end;
    return;
  }
  s.redirs.push(...redirs);
  s.redirs.sort((a, b) => a.pos - b.pos);
  if (!s.negated) s.pos = stmtStart(s);
  s.end = stmtEnd(s);
}

/** After the first stage of a left-folded chain changed its start, the enclosing nodes start there too. */
function refreshStarts(root: A.Stmt, first: A.Stmt): void {
  const path: A.Stmt[] = [];
  let s = root;
  while (s !== first && s.cmd?.type === 'BinaryCmd') {
    path.push(s);
    s = s.cmd.x;
  }
  for (const p of path) {
    p.pos = first.pos;
    if (p.cmd?.type === 'BinaryCmd') p.cmd.pos = first.pos;
  }
}

/** Replaces the first stage of a left-folded chain. */
function replaceFirst(root: A.Stmt, first: A.Stmt, by: A.Stmt): void {
  let s = root;
  while (s.cmd?.type === 'BinaryCmd') {
    if (s.cmd.x === first) {
      s.cmd.x = by;
      break;
    }
    s = s.cmd.x;
  }
  refreshStarts(root, by);
}

function validSimpleExpansion(n: TsNode): boolean {
  const name = kids(n).find((c) => c.isNamed);
  return !!name && /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])$/.test(name.text);
}

/** Nodes that touch (no blank between them) form one word. */
function groupAdjacent(nodes: TsNode[]): TsNode[][] {
  const groups: TsNode[][] = [];
  for (const n of [...nodes].sort((a, b) => a.startIndex - b.startIndex)) {
    const prev = groups[groups.length - 1];
    if (prev && prev[prev.length - 1].endIndex === n.startIndex) prev.push(n);
    else groups.push([n]);
  }
  return groups;
}

/** The word-level tokens of a test expression (`[ … ]`, `[[ … ]]`). */
function testTokens(n: TsNode, out: TsNode[]): void {
  if (
    n.type === 'binary_expression' ||
    n.type === 'unary_expression' ||
    n.type === 'parenthesized_expression' ||
    n.type === 'ternary_expression' ||
    n.type === 'postfix_expression'
  ) {
    for (const c of kids(n)) testTokens(c, out);
    return;
  }
  if (n.type === 'comment') return;
  out.push(n);
}

function lineStart(src: string, offset: number): number {
  const nl = src.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

/** Backslash escapes in literal text, by context (as the shell removes them). */
function unescape(raw: string, mode: Mode): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const n = raw[i + 1];
    i++;
    if (n === '\n') continue;
    if (mode === 'word') out += n;
    else if (mode === 'heredoc') out += '$`\\'.includes(n) ? n : '\\' + n;
    else if (mode === 'dq') out += '$`"\\'.includes(n) ? n : '\\' + n;
    else out += '$`"\\}'.includes(n) ? n : '\\' + n;
  }
  return out;
}

/** `$'…'` escapes (the common ones; others keep the escaped character). */
function ansiC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      const e = body[++i];
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
    } else out += c;
  }
  return out;
}

/**
 * If an expansion starts at `i` (`$name`, `$1`, `${…}`, `$(…)`, `$((…))`, `$[…]`, `` `…` ``),
 * the offset after it (within `to`); else null.
 */
function expansionSpan(src: string, i: number, to: number): number | null {
  const c = src[i];
  if (c === '`') {
    for (let j = i + 1; j < to; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === '`') return j + 1;
    }
    return null;
  }
  const n = src[i + 1];
  if (/[A-Za-z_]/.test(n)) {
    let j = i + 2;
    while (j < to && /[A-Za-z0-9_]/.test(src[j])) j++;
    return j;
  }
  if (/[0-9@*#?$!-]/.test(n)) return i + 2;
  const pairs: Record<string, [string, string]> = { '{': ['{', '}'], '(': ['(', ')'], '[': ['[', ']'] };
  const p = pairs[n];
  if (!p) return null;
  let depth = 0;
  for (let j = i + 1; j < to; j++) {
    const ch = src[j];
    if (ch === '\\') j++;
    else if (ch === "'" && p[0] !== '{') {
      const k = src.indexOf("'", j + 1);
      if (k < 0 || k >= to) return null;
      j = k;
    } else if (ch === p[0]) depth++;
    else if (ch === p[1] && --depth === 0) return j + 1;
  }
  return null;
}

/** The `/` ending the pattern of `${x/pattern/with}`: unescaped, outside quotes and expansions. */
function findSeparator(src: string, from: number, to: number, inner: TsNode[]): number | null {
  const opaque: [number, number][] = [];
  const collect = (list: TsNode[]) => {
    for (const n of list) {
      if (PART_NODES.has(n.type)) opaque.push([n.startIndex, n.endIndex]);
      else if (n.childCount > 0 && n.type !== 'regex') collect(kids(n));
    }
  };
  collect(inner);
  for (let j = from; j < to; j++) {
    const o = opaque.find(([a, b]) => a <= j && j < b);
    if (o) {
      j = o[1] - 1;
      continue;
    }
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '/') return j;
  }
  return null;
}

/**
 * Names read and assigned in arithmetic text tree-sitter-bash left as one word (`i<n-1` in a
 * C-style for): `x=`, `x+=`, `x++`, `++x` assign; all but a plain `x=` also read.
 */
function scanArithText(src: string, from: number, to: number, names: A.Arithm['names'], assigns: A.Arithm['assigns']): void {
  const re = /[A-Za-z_][A-Za-z0-9_]*/g;
  const text = src.slice(from, to);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = from + m.index;
    const prev = src[start - 1] ?? '';
    if (/[0-9#A-Za-z_]/.test(prev)) continue;
    const after = src.slice(start + m[0].length, Math.min(to + 3, src.length)).replace(/^[ \t]+/, '');
    let before = start - 1;
    while (before >= 0 && (src[before] === ' ' || src[before] === '\t')) before--;
    const pre = before >= 1 ? src.slice(before - 1, before + 1) : '';
    const plain = after[0] === '=' && after[1] !== '=';
    const opAssign = /^(\+=|-=|\*=|\/=|%=|&=|\^=|\|=|<<=|>>=)/.test(after);
    const incDec = /^(\+\+|--)/.test(after) || pre === '++' || pre === '--';
    if (plain || opAssign || incDec) assigns.push({ name: m[0], pos: start });
    if (!plain) names.push({ name: m[0], pos: start });
  }
}

/** Moves every position in a subtree by `delta` (trees of re-parsed fragments). */
function shiftSpans(node: unknown, delta: number): void {
  if (Array.isArray(node)) {
    for (const n of node) shiftSpans(n, delta);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if ((k === 'pos' || k === 'end' || k === 'opPos') && typeof v === 'number') o[k] = v + delta;
    else if (typeof v === 'object') shiftSpans(v, delta);
  }
}
