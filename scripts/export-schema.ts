/**
 * Write the JSON Schema of the model document (static/schema/model-v<N>.json) from the valibot
 * schema in src/lib/model. Run after changing the schema:
 *
 *   npx tsx scripts/export-schema.ts          # write the file
 *   npx tsx scripts/export-schema.ts --check  # exit 1 if the file is out of date
 *
 * src/lib/model/jsonSchema.test.ts fails when the committed file differs from the schema.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJsonSchema, JSON_SCHEMA_FILE, serializeJsonSchema } from '../src/lib/model/jsonSchema.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = resolve(root, JSON_SCHEMA_FILE);
const text = serializeJsonSchema(buildJsonSchema());

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    console.error(`${JSON_SCHEMA_FILE} is out of date; run: npx tsx scripts/export-schema.ts`);
    process.exit(1);
  }
  console.log(`${JSON_SCHEMA_FILE} is up to date`);
} else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${JSON_SCHEMA_FILE} (${text.length} characters)`);
}
