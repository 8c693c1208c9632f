/**
 * Keyboard shortcuts written as strings ("Mod+Z", "Shift+ArrowLeft", "Delete", "+"), matched
 * against keyboard events, and shown in the platform's words ("⌘Z" on Apple, "Ctrl+Z" elsewhere).
 * `Mod` is Command on Apple systems and Control elsewhere; either is accepted when matching, so
 * tests and people on either keyboard get the same behaviour.
 */

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Parsed {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

const cache = new Map<string, Parsed>();

function parse(shortcut: string): Parsed {
  const hit = cache.get(shortcut);
  if (hit) return hit;
  // "+" alone, or "Mod++", is the plus key.
  const parts = shortcut === '+' ? ['+'] : shortcut.endsWith('++') ? [...shortcut.slice(0, -2).split('+'), '+'] : shortcut.split('+');
  const key = parts[parts.length - 1];
  const mods = new Set(parts.slice(0, -1));
  const p = { key, mod: mods.has('Mod'), shift: mods.has('Shift'), alt: mods.has('Alt') };
  cache.set(shortcut, p);
  return p;
}

/** A printable key that is not a letter or a digit: its character already includes Shift. */
function isSymbol(key: string): boolean {
  return key.length === 1 && !/[a-z0-9]/i.test(key);
}

export function matches(e: KeyLike, shortcut: string): boolean {
  const p = parse(shortcut);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const want = p.key.length === 1 ? p.key.toLowerCase() : p.key;
  if (key !== want) return false;
  if ((e.ctrlKey || e.metaKey) !== p.mod) return false;
  if (e.altKey !== p.alt) return false;
  if (!isSymbol(want) && e.shiftKey !== p.shift) return false;
  return true;
}

const NAMES: Record<string, string> = {
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
  Delete: 'Del',
  Backspace: '⌫'
};

/** "Mod+Shift+Z" → "Ctrl+Shift+Z" (or "⇧⌘Z" on Apple). */
export function formatShortcut(shortcut: string, apple = false): string {
  const p = parse(shortcut);
  const key = NAMES[p.key] ?? (p.key.length === 1 ? p.key.toUpperCase() : p.key);
  if (apple) return `${p.alt ? '⌥' : ''}${p.shift ? '⇧' : ''}${p.mod ? '⌘' : ''}${key}`;
  return [p.mod ? 'Ctrl' : '', p.alt ? 'Alt' : '', p.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** Whether keys typed here belong to a text field rather than to the editor. */
export function isTextEntry(target: unknown): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !['button', 'checkbox', 'radio', 'range', 'color', 'submit', 'reset'].includes((el.type ?? 'text').toLowerCase());
}
