/**
 * Copy the validation models (tests/validation/models/*.json) into static/models/validation/ so
 * the app can serve them in its gallery, and regenerate their entries in static/models/index.json
 * (name from the model, summary from the first sentence of its notes). Entries of the idea
 * scenarios, written by hand, are kept as they are. Run after adding or changing a validation
 * model:
 *
 *   npx tsx scripts/sync-gallery.ts          # copy and rewrite the index
 *   npx tsx scripts/sync-gallery.ts --check  # exit 1 if anything is out of date
 *
 * tests/unit/gallery.test.ts fails when the copies or the index are out of date.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeIndex, readIndex, serializeIndex, validationEntry } from '../src/lib/components/gallery.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'tests/validation/models');
const to = join(root, 'static/models/validation');
const indexFile = join(root, 'static/models/index.json');
const check = process.argv.includes('--check');

/** What the gallery files should be: path → content. */
export function planGallery(): { files: Map<string, string>; stale: string[]; index: string } {
  const files = new Map<string, string>();
  const names = readdirSync(from).filter((f) => f.endsWith('.json')).sort();
  for (const f of names) files.set(join(to, f), readFileSync(join(from, f), 'utf8'));
  const stale = existsSync(to) ? readdirSync(to).filter((f) => f.endsWith('.json') && !names.includes(f)).map((f) => join(to, f)) : [];
  const current = readIndex(JSON.parse(readFileSync(indexFile, 'utf8')));
  const entries = names.map((f) => validationEntry(f, JSON.parse(readFileSync(join(from, f), 'utf8')) as { name?: unknown; notes?: unknown }));
  return { files, stale, index: serializeIndex(mergeIndex(current, entries)) };
}

const plan = planGallery();
const outdated: string[] = [];
for (const [path, text] of plan.files) if (!existsSync(path) || readFileSync(path, 'utf8') !== text) outdated.push(path);
outdated.push(...plan.stale);
if (readFileSync(indexFile, 'utf8') !== plan.index) outdated.push(indexFile);

if (check) {
  if (outdated.length > 0) {
    console.error(`The gallery is out of date (${outdated.map((p) => p.slice(root.length + 1)).join(', ')}); run: npx tsx scripts/sync-gallery.ts`);
    process.exit(1);
  }
  console.log('The gallery is up to date');
} else {
  mkdirSync(to, { recursive: true });
  for (const [path, text] of plan.files) writeFileSync(path, text);
  for (const path of plan.stale) rmSync(path);
  writeFileSync(indexFile, plan.index);
  console.log(`${plan.files.size} validation models in static/models/validation/, index.json rewritten (${outdated.length} changed)`);
}
