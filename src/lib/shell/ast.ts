/**
 * The syntax tree the analysis walks. Node kinds and field meanings follow mvdan/sh's
 * `syntax` package (File, Stmt, CallExpr, BinaryCmd, Redirect, Word and its parts Lit,
 * SglQuoted, DblQuoted, ParamExp, CmdSubst, ArithmExp, ProcSubst …), in a reduced form:
 * arithmetic and `[[ … ]]` bodies are kept as words and name lists rather than expression
 * trees, since no rule needs more.
 *
 * Positions are offsets into the source string (UTF-16 code units, as JavaScript indexes
 * strings); `pos` is the first character, `end` the character after the node.
 *
 * The tree is built from tree-sitter-bash's (treeSitter.ts), on scripts sh-syntax accepted.
 */

export interface Span {
  pos: number;
  end: number;
}

export interface File extends Span {
  type: 'File';
  stmts: Stmt[];
}

export interface Stmt extends Span {
  type: 'Stmt';
  cmd: Command | null;
  negated: boolean;
  background: boolean;
  redirs: Redirect[];
}

export type Command =
  | CallExpr
  | DeclClause
  | BinaryCmd
  | Subshell
  | Block
  | IfClause
  | WhileClause
  | ForClause
  | CaseClause
  | FuncDecl
  | ArithmCmd
  | TestClause
  | TimeClause;

/** A simple command: `a=1 b=2 cmd arg…`. With no args, the assignments change the shell. */
export interface CallExpr extends Span {
  type: 'CallExpr';
  assigns: Assign[];
  args: Word[];
}

/** `declare`, `local`, `export`, `readonly`, `typeset`: arguments are assignments or options. */
export interface DeclClause extends Span {
  type: 'DeclClause';
  variant: string;
  variantSpan: Span;
  /** Options (`-r`, `-a`) are Words; names with or without values are Assigns. */
  args: (Assign | Word)[];
}

export interface Assign extends Span {
  type: 'Assign';
  name: string;
  nameSpan: Span;
  append: boolean;
  /** `declare x` / `export X`: no `=`. */
  naked: boolean;
  index: string | null;
  value: Word | null;
  array: Word[] | null;
}

export type BinCmdOp = '&&' | '||' | '|' | '|&';

export interface BinaryCmd extends Span {
  type: 'BinaryCmd';
  op: BinCmdOp;
  opPos: number;
  x: Stmt;
  y: Stmt;
}

export interface Subshell extends Span {
  type: 'Subshell';
  stmts: Stmt[];
}

export interface Block extends Span {
  type: 'Block';
  stmts: Stmt[];
}

/** `if`, `elif` (a nested IfClause in `else`), or a plain `else` (kind 'else', no cond). */
export interface IfClause extends Span {
  type: 'IfClause';
  kind: 'if' | 'elif' | 'else';
  cond: Stmt[];
  then: Stmt[];
  else: IfClause | null;
}

export interface WhileClause extends Span {
  type: 'WhileClause';
  until: boolean;
  cond: Stmt[];
  do: Stmt[];
}

export interface WordIter extends Span {
  type: 'WordIter';
  name: string;
  nameSpan: Span;
  /** null when `in` is missing: the loop runs over "$@". */
  items: Word[] | null;
}

export interface CStyleLoop extends Span {
  type: 'CStyleLoop';
  arith: Arithm;
}

export interface ForClause extends Span {
  type: 'ForClause';
  select: boolean;
  loop: WordIter | CStyleLoop;
  do: Stmt[];
}

export interface CaseItem extends Span {
  type: 'CaseItem';
  patterns: Word[];
  stmts: Stmt[];
  op: ';;' | ';&' | ';;&' | null;
}

export interface CaseClause extends Span {
  type: 'CaseClause';
  word: Word;
  items: CaseItem[];
}

export interface FuncDecl extends Span {
  type: 'FuncDecl';
  name: string;
  nameSpan: Span;
  body: Stmt;
}

export interface ArithmCmd extends Span {
  type: 'ArithmCmd';
  arith: Arithm;
}

/** `[[ … ]]`: the words between the brackets, operators included as literal words. */
export interface TestClause extends Span {
  type: 'TestClause';
  words: Word[];
}

export interface TimeClause extends Span {
  type: 'TimeClause';
  stmt: Stmt | null;
}

export type RedirOp =
  | '<'
  | '>'
  | '>>'
  | '>|'
  | '<>'
  | '<&'
  | '>&'
  | '&>'
  | '&>>'
  | '<<'
  | '<<-'
  | '<<<';

export interface Redirect extends Span {
  type: 'Redirect';
  op: RedirOp;
  opPos: number;
  /** The file descriptor before the operator (`2>`), if any. */
  n: string | null;
  word: Word;
  /** The here-document body, for `<<` and `<<-`. */
  hdoc: Word | null;
}

export interface Word extends Span {
  type: 'Word';
  parts: WordPart[];
}

export type WordPart = Lit | SglQuoted | DblQuoted | ParamExp | CmdSubst | ArithmExp | ProcSubst;

/** Unquoted literal text. `value` has backslash escapes removed; `raw` is the source text. */
export interface Lit extends Span {
  type: 'Lit';
  value: string;
  raw: string;
}

export interface SglQuoted extends Span {
  type: 'SglQuoted';
  dollar: boolean;
  value: string;
}

export interface DblQuoted extends Span {
  type: 'DblQuoted';
  dollar: boolean;
  parts: WordPart[];
}

export type ParamOp =
  | ':-'
  | '-'
  | ':='
  | '='
  | ':?'
  | '?'
  | ':+'
  | '+'
  | '#'
  | '##'
  | '%'
  | '%%'
  | '^'
  | '^^'
  | ','
  | ',,'
  | '@';

export interface ParamExp extends Span {
  type: 'ParamExp';
  /** `$x` rather than `${x}`. */
  short: boolean;
  /** The name: an identifier, digits, or one of @ * # ? $ ! - */
  param: string;
  paramSpan: Span;
  /** `${!x}` */
  excl: boolean;
  /** `${#x}` */
  length: boolean;
  /** `${a[i]}`: the index text. */
  index: string | null;
  exp: { op: ParamOp; word: Word | null } | null;
  repl: { all: boolean; orig: Word | null; with: Word | null } | null;
  /** `${x:off:len}`: the raw text after the first colon. */
  slice: string | null;
  /** Expansions nested in the index or slice (they run too). */
  nested: WordPart[];
}

export interface CmdSubst extends Span {
  type: 'CmdSubst';
  backquotes: boolean;
  stmts: Stmt[];
}

export interface Arithm extends Span {
  raw: string;
  /** Bare names read (`x` in `x + 1`). */
  names: { name: string; pos: number }[];
  /** Names assigned (`x=1`, `x+=2`, `x++`, `--x`). */
  assigns: { name: string; pos: number }[];
  /** `$x`, `$(…)` inside the expression. */
  parts: WordPart[];
}

export interface ArithmExp extends Span {
  type: 'ArithmExp';
  arith: Arithm;
}

export interface ProcSubst extends Span {
  type: 'ProcSubst';
  op: '<(' | '>(';
  stmts: Stmt[];
}

export type Node =
  | File
  | Stmt
  | Command
  | Assign
  | Redirect
  | Word
  | WordPart
  | CaseItem
  | WordIter
  | CStyleLoop;

// ---- helpers on the tree and its positions ----------------------------------------------------

/** The word as plain text if it is a single unquoted literal, else null. */
export function litOf(w: Word): string | null {
  if (w.parts.length === 0) return '';
  let s = '';
  for (const p of w.parts) {
    if (p.type !== 'Lit') return null;
    s += p.value;
  }
  return s;
}

export interface Location {
  line: number;
  column: number;
}

/** Offset → 1-based line and column (columns count UTF-16 code units). */
export function makeLocator(src: string): (offset: number) => Location {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}
