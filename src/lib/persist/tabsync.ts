/**
 * Keeping two tabs in step. Each tab posts on a BroadcastChannel what it wrote; the others
 * react. Two rules make sure no tab overwrites another's work:
 *
 *  1. Every model record carries `rev`, a save counter. A tab remembers the `rev` its copy is
 *     based on, and its write is a compare-and-swap inside one IndexedDB transaction
 *     (`decideWrite`): when the stored `rev` moved on (another tab saved), the write does not
 *     overwrite; the writer keeps its version as a new model instead (db.ts), marked with the
 *     origin CONFLICT_ORIGIN. The broadcast is
 *     only a prompt; this check is the guarantee (messages can be lost, e.g. in a frozen tab).
 *  2. On hearing that another tab saved the model it shows (`decideOnSaved`), a tab with no
 *     unsaved edits reloads it (stays in step); a tab with edits of its own writes them now,
 *     and rule 1 turns that write into a copy.
 *
 * Messages come from any tab of this origin, of any version: `parseSyncMessage` checks them
 * and ignores what it does not know.
 */
import { CHANNEL_NAME } from './names.ts';

export type SyncMessage =
  | { type: 'model-saved'; from: string; id: string; rev: number }
  | { type: 'model-deleted'; from: string; id: string }
  /** The list of models changed (created, renamed, duplicated, restored). */
  | { type: 'models-changed'; from: string }
  | { type: 'runs-changed'; from: string };

export function parseSyncMessage(data: unknown): SyncMessage | null {
  try {
    if (typeof data !== 'object' || data === null) return null;
    const m = data as Record<string, unknown>;
    if (typeof m.from !== 'string') return null;
    switch (m.type) {
      case 'model-saved':
        return typeof m.id === 'string' && typeof m.rev === 'number' && Number.isSafeInteger(m.rev)
          ? { type: 'model-saved', from: m.from, id: m.id, rev: m.rev }
          : null;
      case 'model-deleted':
        return typeof m.id === 'string' ? { type: 'model-deleted', from: m.from, id: m.id } : null;
      case 'models-changed':
      case 'runs-changed':
        return { type: m.type, from: m.from };
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** What this tab has open: the record id (null: not saved yet), its base rev, unsaved edits. */
export interface LocalCopy {
  id: string | null;
  rev: number;
  dirty: boolean;
}

export type OnSaved = 'ignore' | 'reload' | 'write-now';

/** Another tab saved model `id` at `rev`: what should this tab do? */
export function decideOnSaved(local: LocalCopy, msg: { id: string; rev: number }): OnSaved {
  if (local.id === null || msg.id !== local.id) return 'ignore';
  // Our own write, echoed back by a channel, or an older message arriving late.
  if (msg.rev <= local.rev) return 'ignore';
  return local.dirty ? 'write-now' : 'reload';
}

export type WriteDecision = 'write' | 'conflict' | 'gone';

/**
 * Inside the write transaction: may a tab whose copy is based on `baseRev` overwrite the
 * stored record? `stored` undefined: the record was deleted (in another tab).
 */
export function decideWrite(stored: { rev: number } | undefined, baseRev: number): WriteDecision {
  if (!stored) return 'gone';
  return stored.rev === baseRev ? 'write' : 'conflict';
}

/**
 * The origin of the copy a tab keeps when its write would have overwritten another tab's. The
 * copy keeps the user's name (they may be typing in it); the list shows this beside it.
 */
export const CONFLICT_ORIGIN = 'edited in two tabs';

export interface ChannelLike {
  postMessage(data: unknown): void;
  close(): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** The channel between tabs; a no-op where BroadcastChannel does not exist. */
export class TabSync {
  readonly tabId: string;
  #channel: ChannelLike | null;

  constructor(tabId: string, onMessage: (m: SyncMessage) => void, channel?: ChannelLike | null) {
    this.tabId = tabId;
    this.#channel =
      channel !== undefined ? channel : typeof BroadcastChannel === 'function' ? (new BroadcastChannel(CHANNEL_NAME) as unknown as ChannelLike) : null;
    if (this.#channel) {
      this.#channel.onmessage = (ev) => {
        const m = parseSyncMessage(ev.data);
        if (m && m.from !== this.tabId) onMessage(m);
      };
    }
  }

  post(m: DistributiveOmit<SyncMessage, 'from'>): void {
    try {
      this.#channel?.postMessage({ ...m, from: this.tabId });
    } catch {
      // A closed channel (page going away): the other tabs learn on their next read.
    }
  }

  close(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
