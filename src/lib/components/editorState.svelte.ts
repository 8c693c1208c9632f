/**
 * The rune adapter over the Editor (ARCHITECTURE.md, principle 11): what the Svelte panels read,
 * as `$state.raw` values replaced whole. The Editor, the tools and the pixi renderer live in
 * plain fields, never in `$state`.
 *
 * During a drag the document changes on every pointer move; the panels (outline, inspector)
 * show nothing that moves, so they are updated when the drag ends, not 60 times a second. The
 * canvas follows every step through its own subscription.
 */
import type { CanvasRenderer } from '../render/CanvasRenderer.ts';
import { Editor, type Selection, type UiRequest } from '../editor/Editor.ts';
import { command, runCommand, type CommandId } from '../editor/commands.ts';
import { ToolController } from '../editor/tools.ts';
import type { Point } from '../editor/geometry.ts';
import type { Viewport } from '../editor/viewport.ts';
import type { ModelDocument, ModelIssue, NodeKind } from '../model/types.ts';
import type { LiveFrame } from '../sim/results.ts';

export class EditorState {
  readonly editor: Editor;
  readonly tools: ToolController;
  doc = $state.raw<ModelDocument>(null as unknown as ModelDocument);
  selection = $state.raw<Selection>(null as unknown as Selection);
  viewport = $state.raw<Viewport>({ x: 0, y: 0, zoom: 1 });
  status = $state('');
  /** Bumped on every change: commands' `enabled()` are re-read through it. */
  version = $state(0);
  /** The dialog asked for (quick add, connect), or null. */
  dialog = $state<UiRequest | null>(null);
  /** Whether the canvas could start (WebGL); null while starting. */
  canvasReady = $state<boolean | null>(null);
  canvasError = $state<string | null>(null);
  /** Why the last paste was refused (junk on the system clipboard), or null. */
  pasteIssues = $state.raw<ModelIssue[] | null>(null);

  /** The pixi renderer, once the canvas made it (plain field: never proxied). */
  renderer: CanvasRenderer | null = null;
  /** The element the canvas is drawn in (for client ↔ canvas coordinates). */
  surface: HTMLElement | null = null;
  #viewportFrame = 0;

  constructor(editor = new Editor()) {
    this.editor = editor;
    this.tools = new ToolController(editor);
    this.doc = editor.doc;
    this.selection = editor.selection;
    this.viewport = editor.viewport;
    editor.subscribe((c) => {
      if (c.doc && !editor.history.marking) this.doc = editor.doc;
      if (c.selection) this.selection = editor.selection;
      if (c.ephemeral) this.status = editor.status;
      if (c.viewport) this.#scheduleViewport();
      if (c.ui) this.dialog = c.ui;
      if (c.doc || c.selection) this.version++;
    });
  }

  #scheduleViewport(): void {
    if (this.#viewportFrame) return;
    const raf = globalThis.requestAnimationFrame ?? ((cb: () => void) => setTimeout(cb, 16));
    this.#viewportFrame = raf(() => {
      this.#viewportFrame = 0;
      this.viewport = this.editor.viewport;
    }) as number;
  }

  run(id: CommandId): boolean {
    // Copy, cut and paste go through the system clipboard (another tab, another model).
    if (id === 'copy' || id === 'cut') {
      if (!this.enabled(id)) return false;
      void this.copyToSystem(id === 'cut');
      return true;
    }
    if (id === 'paste') {
      void this.pasteFromSystem();
      return true;
    }
    return runCommand(this.editor, id);
  }

  /** Read through `version` so a template re-evaluates it after each change. */
  enabled(id: CommandId): boolean {
    void this.version;
    void this.viewport;
    // The system clipboard may hold nodes from another tab: paste is always offered.
    if (id === 'paste') return true;
    return command(id).enabled(this.editor);
  }

  /**
   * Copy the selection as a JSON fragment (src/lib/editor/clipboard.ts) to the system
   * clipboard; the editor's in-app clipboard keeps it too, so paste still works in this tab
   * when the browser refuses the system clipboard.
   */
  async copyToSystem(cut = false): Promise<boolean> {
    const text = this.editor.copyText();
    if (text === null) return false;
    const n = this.editor.clipboard?.nodes.length ?? 0;
    if (cut) this.editor.deleteSelection();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.editor.setStatus(`${cut ? 'Cut' : 'Copied'} ${n} node${n === 1 ? '' : 's'} (in this tab only: the browser did not allow the system clipboard).`);
    }
    return true;
  }

  /**
   * Paste from the system clipboard: untrusted text, validated by the editor (junk is refused
   * with a located message in `pasteIssues`). When the browser refuses to read it, or it is
   * empty, the in-app clipboard is pasted instead.
   */
  async pasteFromSystem(): Promise<boolean> {
    let text: string | null = null;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      text = null;
    }
    if (text === null || text.trim() === '') {
      if (this.editor.clipboard) return this.editor.paste();
      this.editor.setStatus(text === null ? 'Nothing to paste: the browser did not allow reading the clipboard, and nothing was copied in this tab.' : 'Nothing to paste: the clipboard is empty.');
      return false;
    }
    return this.pasteText(text);
  }

  /** Paste clipboard text (also what a `paste` event carries). */
  pasteText(text: string): boolean {
    const r = this.editor.pasteText(text);
    this.pasteIssues = r.ok ? null : r.issues;
    return r.ok;
  }

  /** Canvas-relative point of a client (page viewport) point, or null outside the canvas. */
  clientToCanvas(clientX: number, clientY: number): Point | null {
    const r = this.surface?.getBoundingClientRect();
    if (!r) return null;
    const x = clientX - r.left;
    const y = clientY - r.top;
    return x >= 0 && y >= 0 && x <= r.width && y <= r.height ? { x, y } : null;
  }

  /** Client (page viewport) point of a world point: what a test clicks. */
  worldToClient(p: Point): Point | null {
    const r = this.surface?.getBoundingClientRect();
    if (!r) return null;
    const s = this.editor.toScreen(p);
    return { x: r.left + s.x, y: r.top + s.y };
  }

  /** A node dragged from the palette and dropped at a client point: added there if on the canvas. */
  dropKind(kind: NodeKind, clientX: number, clientY: number): string | null {
    const at = this.clientToCanvas(clientX, clientY);
    if (!at) return null;
    const r = this.editor.addNode(kind, this.editor.toWorld(at));
    return r.ok ? r.value : null;
  }

  closeDialog(): void {
    this.dialog = null;
  }

  /* ----------------------------------------------------- the run overlay */

  liveStart(): void {
    this.renderer?.liveStart();
  }
  liveFrame(f: LiveFrame): void {
    this.renderer?.liveFrame(f);
  }
  liveStop(): void {
    this.renderer?.liveStop();
  }
  showResults(badges: ReadonlyMap<string, string>): void {
    this.renderer?.showResults(badges);
  }
}
