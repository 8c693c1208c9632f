/**
 * The gallery: the six ideas the sandbox is built around (PAPERS.md) with their scenario
 * models, and the validation models, as listed by static/models/index.json. Pure (no DOM) so
 * the sync script (scripts/sync-gallery.ts) and the tests share it.
 *
 * static/models/index.json entries: `{ file, name, group?, summary?, idea? }`. `file` and `name`
 * are what older code reads (the example picker); `group` is "idea" or "validation", `idea` the
 * number of the idea in PAPERS.md, `summary` one or two sentences for the list. Validation
 * entries are generated from tests/validation/models by the sync script; idea entries are
 * written by hand.
 */

export type GalleryGroup = 'idea' | 'validation';

/** One entry of static/models/index.json. */
export interface GalleryEntry {
  /** A file in static/models/ (validation models: "validation/<name>.json"). */
  file: string;
  name: string;
  group?: GalleryGroup;
  summary?: string;
  /** The idea (1–6, PAPERS.md) an "idea" entry belongs to. */
  idea?: number;
}

export interface Idea {
  n: number;
  title: string;
  authors: string;
  /** What the idea says, in one sentence (for ideas with no scenario yet, what exists instead). */
  gist: string;
  /** Said honestly when no scenario model exists yet. */
  coming?: string;
}

/** The six ideas of PAPERS.md, in its order. */
export const IDEAS: readonly Idea[] = [
  {
    n: 1,
    title: 'The NIC should be part of the OS',
    authors: 'Xu and Roscoe',
    gist: 'A NIC that reads the kernel’s scheduling state can hand each RPC straight to a core that can run it now.'
  },
  {
    n: 2,
    title: 'Batching with end-to-end performance estimation',
    authors: 'Borisov, Amit, Tsafrir',
    gist: 'Batching can help or hurt both latency and throughput; decide by the end-to-end latency, estimated with Little’s law.'
  },
  {
    n: 3,
    title: 'Spork: a posix_spawn you can use as a fork',
    authors: 'Vögele, Thomas, Hönig',
    gist: 'fork copies page tables only for exec to throw them away; posix_spawn does not, and Spork rewrites one into the other.'
  },
  {
    n: 4,
    title: 'Real life is uncertain; consensus should be too',
    authors: 'Frank, Ponnapalli et al.',
    gist: 'Give each node a failure probability and report how likely the system is to be safe and live, not just “tolerates f”. (The calculator panel is not in the app yet; “npm run sim -- analyze consensus” gives the exact tables.)'
  },
  {
    n: 5,
    title: 'Static analysis for Unix shell programs',
    authors: 'Lazarek et al.',
    gist: 'Analyse a script’s file-system effects ahead of time, and what depends on run-time values just before each command runs.'
  },
  {
    n: 6,
    title: 'Analyzing metastable failures',
    authors: 'Isaacs, Alvaro, Majumdar et al.',
    gist: 'A trigger pushes the system into a bad state that retries keep it in after the trigger is gone.'
  }
];

/** Index file names the app may fetch: plain names in static/models/, or in its validation/ folder. */
export const GALLERY_FILE = /^(validation\/)?[\w.-]+\.json$/;

/** Read index.json (already parsed): entries of the right shape, others skipped. */
export function readIndex(data: unknown): GalleryEntry[] {
  if (!Array.isArray(data)) return [];
  const out: GalleryEntry[] = [];
  for (const e of data) {
    if (typeof e !== 'object' || e === null) continue;
    const x = e as Record<string, unknown>;
    if (typeof x.file !== 'string' || typeof x.name !== 'string' || !GALLERY_FILE.test(x.file)) continue;
    const entry: GalleryEntry = { file: x.file, name: x.name };
    if (x.group === 'idea' || x.group === 'validation') entry.group = x.group;
    if (typeof x.summary === 'string') entry.summary = x.summary;
    if (typeof x.idea === 'number' && Number.isInteger(x.idea)) entry.idea = x.idea;
    out.push(entry);
  }
  return out;
}

/** The first sentence of a model's notes (at most ~200 characters), for a list. */
export function firstSentence(notes: string | undefined): string {
  const text = (notes ?? '').replace(/\s+/g, ' ').trim();
  // A sentence ends at ". " followed by a capital, or at the end; not at "e.g. " or "0.5".
  const m = /^(.+?[.!?])(?=\s+[A-Z(“"]|$)/.exec(text);
  const s = m ? m[1] : text;
  return s.length > 220 ? `${s.slice(0, 217).trimEnd()}…` : s;
}

/** The index entry of a validation model copied to static/models/validation/<file>. */
export function validationEntry(file: string, doc: { name?: unknown; notes?: unknown }): GalleryEntry {
  return {
    file: `validation/${file}`,
    name: typeof doc.name === 'string' && doc.name ? doc.name : file.replace(/\.json$/, ''),
    group: 'validation',
    summary: firstSentence(typeof doc.notes === 'string' ? doc.notes : '')
  };
}

/** The index with its validation entries replaced by `validation` (other entries kept in order). */
export function mergeIndex(current: GalleryEntry[], validation: GalleryEntry[]): GalleryEntry[] {
  return [...current.filter((e) => !e.file.startsWith('validation/')), ...validation];
}

/** index.json as written: one entry per line, fields in a fixed order. */
export function serializeIndex(entries: GalleryEntry[]): string {
  const line = (e: GalleryEntry) =>
    '  ' +
    JSON.stringify({
      file: e.file,
      name: e.name,
      ...(e.group ? { group: e.group } : {}),
      ...(e.idea !== undefined ? { idea: e.idea } : {}),
      ...(e.summary !== undefined ? { summary: e.summary } : {})
    });
  return `[\n${entries.map(line).join(',\n')}\n]\n`;
}

/**
 * The gallery's shell scripts (idea 5), listed by static/scripts/index.json: `{ file, name, idea,
 * summary, notes }`, `file` a plain name in static/scripts/. They open in the shell panel, not
 * as models, so they have their own index (the model picker and the model tests read
 * static/models/index.json). `notes` says what to look at (plain text, never HTML).
 */
export interface ScriptEntry {
  file: string;
  name: string;
  idea: number;
  summary: string;
  notes: string;
}

/** Script file names the app may fetch: plain names in static/scripts/. */
export const SCRIPT_FILE = /^[\w.-]+\.sh$/;

/** Read static/scripts/index.json (already parsed): entries of the right shape, others skipped. */
export function readScriptIndex(data: unknown): ScriptEntry[] {
  if (!Array.isArray(data)) return [];
  const out: ScriptEntry[] = [];
  for (const e of data) {
    if (typeof e !== 'object' || e === null) continue;
    const x = e as Record<string, unknown>;
    if (typeof x.file !== 'string' || !SCRIPT_FILE.test(x.file) || typeof x.name !== 'string') continue;
    if (typeof x.idea !== 'number' || !Number.isInteger(x.idea)) continue;
    out.push({ file: x.file, name: x.name, idea: x.idea, summary: typeof x.summary === 'string' ? x.summary : '', notes: typeof x.notes === 'string' ? x.notes : '' });
  }
  return out;
}

export const GALLERY_SEEN_KEY = 'systems-sandbox.gallery-seen';

/**
 * Whether to open the gallery when the page starts: on a first visit, unless a link asked for a
 * model, and not when the browser is driven by automation (navigator.webdriver: end-to-end tests
 * of other features start on the page itself; gallery.spec.ts turns this off to test it).
 */
export function galleryOnStart(opts: { seen: boolean; hash: string; automated: boolean }): boolean {
  return !opts.seen && !opts.hash.startsWith('#m=') && !opts.automated;
}
