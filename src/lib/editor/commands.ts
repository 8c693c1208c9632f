/**
 * Every user command, defined once (ARCHITECTURE.md, principle 4): its id, its name in words
 * (the accessible name of its button), its shortcuts, when it is enabled, and what it does. The
 * toolbar, the keyboard, the outline's menu and the tests all run commands from this table, so
 * a shortcut and a button can never disagree.
 */
import { GRID } from './geometry.ts';
import type { Editor } from './Editor.ts';
import { matches, type KeyLike } from './shortcuts.ts';

export type CommandId =
  | 'new-model'
  | 'quick-add'
  | 'connect'
  | 'undo'
  | 'redo'
  | 'delete'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'duplicate'
  | 'select-all'
  | 'select-none'
  | 'align-to-grid'
  | 'fit-view'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'nudge-left'
  | 'nudge-right'
  | 'nudge-up'
  | 'nudge-down'
  | 'nudge-left-far'
  | 'nudge-right-far'
  | 'nudge-up-far'
  | 'nudge-down-far';

export interface Command {
  id: CommandId;
  /** The name in words: the button's accessible name and the menu entry. */
  label: string;
  /** Shortcuts, first one shown. */
  shortcuts: readonly string[];
  enabled(ed: Editor): boolean;
  run(ed: Editor): void;
}

const always = () => true;
const hasNodes = (ed: Editor) => ed.selection.nodes.size > 0;
const nudge = (dx: number, dy: number) => (ed: Editor) => void ed.nudge(dx, dy);

export const COMMANDS: readonly Command[] = [
  { id: 'new-model', label: 'New model', shortcuts: [], enabled: always, run: (ed) => ed.newModel() },
  { id: 'quick-add', label: 'Add a node…', shortcuts: ['/', 'A'], enabled: always, run: (ed) => ed.requestUi('quick-add') },
  {
    id: 'connect',
    label: 'Connect the selected node…',
    shortcuts: ['C'],
    enabled: (ed) => ed.selectedNode !== null,
    run: (ed) => ed.requestUi('connect')
  },
  { id: 'undo', label: 'Undo', shortcuts: ['Mod+Z'], enabled: (ed) => ed.canUndo, run: (ed) => void ed.undo() },
  { id: 'redo', label: 'Redo', shortcuts: ['Mod+Shift+Z', 'Mod+Y'], enabled: (ed) => ed.canRedo, run: (ed) => void ed.redo() },
  {
    id: 'delete',
    label: 'Delete',
    shortcuts: ['Delete', 'Backspace'],
    enabled: (ed) => ed.hasSelection,
    run: (ed) => void ed.deleteSelection()
  },
  { id: 'cut', label: 'Cut', shortcuts: ['Mod+X'], enabled: hasNodes, run: (ed) => void ed.cut() },
  { id: 'copy', label: 'Copy', shortcuts: ['Mod+C'], enabled: hasNodes, run: (ed) => void ed.copy() },
  { id: 'paste', label: 'Paste', shortcuts: ['Mod+V'], enabled: (ed) => (ed.clipboard?.nodes.length ?? 0) > 0, run: (ed) => void ed.paste() },
  { id: 'duplicate', label: 'Duplicate', shortcuts: ['Mod+D'], enabled: hasNodes, run: (ed) => void ed.duplicate() },
  { id: 'select-all', label: 'Select all', shortcuts: ['Mod+A'], enabled: (ed) => ed.doc.nodes.length > 0, run: (ed) => ed.selectAll() },
  { id: 'select-none', label: 'Select nothing', shortcuts: ['Escape'], enabled: (ed) => ed.hasSelection, run: (ed) => ed.clearSelection() },
  {
    id: 'align-to-grid',
    label: 'Align to grid',
    shortcuts: ['G'],
    enabled: (ed) => ed.doc.nodes.length > 0,
    run: (ed) => void ed.alignToGrid()
  },
  { id: 'fit-view', label: 'Fit to view', shortcuts: ['F', 'Shift+1'], enabled: always, run: (ed) => ed.fitView() },
  { id: 'zoom-in', label: 'Zoom in', shortcuts: ['+', '='], enabled: always, run: (ed) => ed.zoomIn() },
  { id: 'zoom-out', label: 'Zoom out', shortcuts: ['-'], enabled: always, run: (ed) => ed.zoomOut() },
  { id: 'zoom-reset', label: 'Zoom to 100%', shortcuts: ['Mod+0', '0'], enabled: always, run: (ed) => ed.zoomReset() },
  { id: 'nudge-left', label: 'Move left', shortcuts: ['ArrowLeft'], enabled: hasNodes, run: nudge(-GRID, 0) },
  { id: 'nudge-right', label: 'Move right', shortcuts: ['ArrowRight'], enabled: hasNodes, run: nudge(GRID, 0) },
  { id: 'nudge-up', label: 'Move up', shortcuts: ['ArrowUp'], enabled: hasNodes, run: nudge(0, -GRID) },
  { id: 'nudge-down', label: 'Move down', shortcuts: ['ArrowDown'], enabled: hasNodes, run: nudge(0, GRID) },
  { id: 'nudge-left-far', label: 'Move left further', shortcuts: ['Shift+ArrowLeft'], enabled: hasNodes, run: nudge(-5 * GRID, 0) },
  { id: 'nudge-right-far', label: 'Move right further', shortcuts: ['Shift+ArrowRight'], enabled: hasNodes, run: nudge(5 * GRID, 0) },
  { id: 'nudge-up-far', label: 'Move up further', shortcuts: ['Shift+ArrowUp'], enabled: hasNodes, run: nudge(0, -5 * GRID) },
  { id: 'nudge-down-far', label: 'Move down further', shortcuts: ['Shift+ArrowDown'], enabled: hasNodes, run: nudge(0, 5 * GRID) }
];

const BY_ID = new Map<CommandId, Command>(COMMANDS.map((c) => [c.id, c]));

export function command(id: CommandId): Command {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`bug: no command "${id}"`);
  return c;
}

/** Run a command if it is enabled; returns whether it ran. */
export function runCommand(ed: Editor, id: CommandId): boolean {
  const c = command(id);
  if (!c.enabled(ed)) return false;
  c.run(ed);
  return true;
}

/** The command a key press asks for, if any (enabled or not: the caller decides). */
export function commandForKey(e: KeyLike, only?: (c: Command) => boolean): Command | null {
  for (const c of COMMANDS) {
    if (only && !only(c)) continue;
    if (c.shortcuts.some((s) => matches(e, s))) return c;
  }
  return null;
}
