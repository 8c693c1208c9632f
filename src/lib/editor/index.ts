/**
 * The editor layer's public API: the Editor, its commands, tools and geometry. Pure TypeScript
 * (no Svelte, no pixi, no DOM).
 */
export * from './Editor.ts';
export * from './commands.ts';
export * from './tools.ts';
export * from './geometry.ts';
export * from './viewport.ts';
export * from './diff.ts';
export { History, type HistoryEntry, type HistoryOptions } from './history.ts';
export * from './connect.ts';
export * from './params.ts';
export * from './palette.ts';
export * from './shortcuts.ts';
export { uniqueId, newNodeId, newEdgeId } from './ids.ts';
export { autoPositions } from './layout.ts';
