/**
 * Static analysis of shell programs (PAPERS.md §5): hazards with locations, file-system effects
 * per command, text shapes through pipelines, and a just-in-time pass over a supplied
 * environment. See README.md in this folder.
 */
export { analyzeShell, analyzeParsed } from './analyze';
export { checkSyntax, setShellParserWasm, preloadShellParser, type SyntaxCheck, type WasmSource } from './syntax';
export { parseBashTree, setTreeSitterWasm, type BashTree, type TreeProblem, type TreeSitterWasm } from './treeSitter';
export { COMMANDS, commandSpec, type CommandSpec, type Role } from './commands';
export { SHAPES, describeShape, type Shape, type ShapeEntry, type FieldType } from './shapes';
export { RULES, type RuleId, type RuleInfo } from './rules';
export type { ShellEnv, ShellReport, Finding, Effect, PipelineInfo, PipelineStage, JitChange, Severity } from './types';
export type * as ShellAst from './ast';
