/**
 * Shared drawing: one GraphicsContext per node kind (its card, icon and ports), drawn once,
 * plus the selection ring, the port highlights and the label font. Created per renderer and
 * destroyed with it.
 *
 * The cards are then *baked*: each kind's context is rendered once into a texture (at several
 * times the screen resolution, with mipmaps), and every node is a Sprite of its kind's texture.
 * A vector card is 600–900 vertices (rounded corners, round-capped icon strokes, port circles);
 * 1,000 of them were 750,000 vertices a frame, which software WebGL (SwiftShader, what headless
 * Chromium has) draws at 2–3 frames per second. A sprite is 4 vertices. See docs/decisions.md.
 */
import { BitmapFont, Graphics, GraphicsContext, Rectangle, type Renderer, type Texture } from 'pixi.js';
import { NODE_H, NODE_W, PORT_R, portPosition } from '../editor/geometry.ts';
import { KINDS } from '../model/kinds/index.ts';
import { NODE_KINDS, type NodeKind } from '../model/types.ts';
import { ICONS, ICON_SIZE, ICON_STROKE, KIND_COLORS, type IconShape } from './icons.ts';

export const LABEL_FONT = 'SandboxLabel';
export const INK = 0x1d2430;
export const MUTED = 0x5d6878;
export const LINE = 0xc3cad4;
export const ACCENT = 0x2f6fdb;
export const OK = 0x1d8a4a;
export const BAD = 0xc23b3b;
/** Width of the coloured band holding the icon. */
export const BAND = 30;

const R = 6;

/** Draw an icon's shapes into a context at (ox, oy) with a side of `size` world units. */
export function drawIcon(ctx: GraphicsContext, shapes: readonly IconShape[], ox: number, oy: number, size: number, color: number): void {
  const s = size / ICON_SIZE;
  const stroke = { width: ICON_STROKE * s, color, cap: 'round' as const, join: 'round' as const };
  const pts = (p: readonly number[]) => p.map((v, i) => (i % 2 === 0 ? ox + v * s : oy + v * s));
  for (const shape of shapes) {
    switch (shape.t) {
      case 'circle':
        ctx.circle(ox + shape.cx * s, oy + shape.cy * s, shape.r * s);
        if (shape.fill) ctx.fill(color);
        else ctx.stroke(stroke);
        break;
      case 'rect':
        if (shape.r) ctx.roundRect(ox + shape.x * s, oy + shape.y * s, shape.w * s, shape.h * s, shape.r * s);
        else ctx.rect(ox + shape.x * s, oy + shape.y * s, shape.w * s, shape.h * s);
        if (shape.fill) ctx.fill(color);
        else ctx.stroke(stroke);
        break;
      case 'line': {
        const p = pts(shape.pts);
        ctx.moveTo(p[0], p[1]);
        for (let i = 2; i < p.length; i += 2) ctx.lineTo(p[i], p[i + 1]);
        ctx.stroke(stroke);
        break;
      }
      case 'poly':
        ctx.poly(pts(shape.pts), true);
        if (shape.fill) ctx.fill(color);
        else ctx.stroke(stroke);
        break;
    }
  }
}

/** A node card of `kind`, centred on (0, 0): white card, coloured band with the icon, ports. */
function nodeContext(kind: NodeKind): GraphicsContext {
  const color = KIND_COLORS[kind];
  const ctx = new GraphicsContext();
  const x0 = -NODE_W / 2;
  const y0 = -NODE_H / 2;
  ctx.roundRect(x0, y0, NODE_W, NODE_H, R).fill(0xffffff);
  ctx.roundRect(x0, y0, BAND, NODE_H, R).fill(color);
  ctx.rect(x0 + BAND - R, y0, R, NODE_H).fill(color);
  drawIcon(ctx, ICONS[kind], x0 + (BAND - 20) / 2, -10, 20, 0xffffff);
  ctx.roundRect(x0, y0, NODE_W, NODE_H, R).stroke({ width: 1, color: LINE });
  const c = { x: 0, y: 0 };
  for (const port of KINDS[kind].ports.in) {
    const p = portPosition(kind, c, port, 'in')!;
    ctx.circle(p.x, p.y, PORT_R).fill(0xffffff).stroke({ width: 1.5, color: MUTED });
  }
  for (const port of KINDS[kind].ports.out) {
    const p = portPosition(kind, c, port, 'out')!;
    ctx.circle(p.x, p.y, PORT_R).fill(color).stroke({ width: 1.5, color: 0xffffff });
  }
  // Many small nodes: always batch them (a card is a few hundred vertices, above pixi's
  // automatic limit, and 1,000 unbatched cards would be 1,000 draw calls).
  ctx.batchMode = 'batch';
  return ctx;
}

export interface SharedContexts {
  node: Record<NodeKind, GraphicsContext>;
  ring: GraphicsContext;
  /** A port highlight: a ring drawn over a port that may (ok) or may not (bad) connect. */
  portOk: GraphicsContext;
  portBad: GraphicsContext;
  portHover: GraphicsContext;
  destroy(): void;
}

export function makeContexts(): SharedContexts {
  const node = Object.fromEntries(NODE_KINDS.map((k) => [k, nodeContext(k)])) as Record<NodeKind, GraphicsContext>;
  const ring = new GraphicsContext()
    .roundRect(-NODE_W / 2 - 4, -NODE_H / 2 - 4, NODE_W + 8, NODE_H + 8, R + 3)
    .stroke({ width: 2.5, color: ACCENT });
  ring.batchMode = 'batch';
  const port = (color: number, r: number) => {
    const c = new GraphicsContext().circle(0, 0, r).stroke({ width: 2.5, color });
    c.batchMode = 'batch';
    return c;
  };
  const all = [...Object.values(node), ring];
  const portOk = port(OK, PORT_R + 4);
  const portBad = port(BAD, PORT_R + 4);
  const portHover = port(ACCENT, PORT_R + 3);
  all.push(portOk, portBad, portHover);
  return {
    node,
    ring,
    portOk,
    portBad,
    portHover,
    destroy() {
      for (const c of all) c.destroy();
    }
  };
}

/**
 * The areas baked around a card's centre: the box and its ports (as tight as they go: every
 * texel drawn is blended, and software WebGL pays per pixel), and the selection ring.
 */
export const CARD_FRAME = { x: -NODE_W / 2 - PORT_R - 2, y: -NODE_H / 2 - 1, w: NODE_W + 2 * PORT_R + 4, h: NODE_H + 2 };
export const RING_FRAME = { x: -NODE_W / 2 - 6, y: -NODE_H / 2 - 6, w: NODE_W + 12, h: NODE_H + 12 };

export interface CardTextures {
  node: Record<NodeKind, Texture>;
  ring: Texture;
  destroy(): void;
}

/**
 * Render each kind's card (and the ring) into a texture, `resolution` texels per world unit, so
 * cards stay sharp up to that zoom; mipmaps keep them smooth far out.
 */
export function bakeCards(renderer: Renderer, shared: SharedContexts, resolution: number): CardTextures {
  const bake = (ctx: GraphicsContext, f = CARD_FRAME): Texture => {
    const frame = new Rectangle(f.x, f.y, f.w, f.h);
    const g = new Graphics(ctx);
    const t = renderer.generateTexture({
      target: g,
      frame,
      resolution,
      antialias: true,
      textureSourceOptions: { autoGenerateMipmaps: true, scaleMode: 'linear' }
    });
    g.destroy();
    return t;
  };
  const node = Object.fromEntries(NODE_KINDS.map((k) => [k, bake(shared.node[k])])) as Record<NodeKind, Texture>;
  const ring = bake(shared.ring, RING_FRAME);
  return {
    node,
    ring,
    destroy() {
      for (const t of [...Object.values(node), ring]) t.destroy(true);
    }
  };
}

let fontInstalled = false;

/** The renderer uninstalled the font (it is destroyed with the app's global resources). */
export function resetLabelFont(): void {
  fontInstalled = false;
}

/**
 * The label font: a glyph atlas rendered once (BitmapText then costs a few quads per label, and
 * changing a label re-renders nothing). Rendered at twice the display size so text stays sharp
 * when zoomed in.
 */
export function installLabelFont(): void {
  if (fontInstalled) return;
  fontInstalled = true;
  BitmapFont.install({
    name: LABEL_FONT,
    chars: [[' ', '~'], '…µλρσ×→←≈·–—%°±≤≥∞'],
    resolution: 2,
    padding: 4,
    style: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
      fontSize: 24,
      fill: 0xffffff
    },
    dynamicFill: true
  });
}
