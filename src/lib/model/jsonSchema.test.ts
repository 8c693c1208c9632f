import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema, JSON_SCHEMA_FILE, serializeJsonSchema } from './jsonSchema.ts';
import { UNIT_PATTERNS } from './units.ts';

const file = fileURLToPath(new URL(`../../../${JSON_SCHEMA_FILE}`, import.meta.url));

describe('the exported JSON Schema', () => {
  it('is up to date with the valibot schema (run: npx tsx scripts/export-schema.ts)', () => {
    const committed = readFileSync(file, 'utf8');
    expect(committed).toBe(serializeJsonSchema(buildJsonSchema()));
  });

  it('describes the document', () => {
    const schema = buildJsonSchema() as {
      $schema: string;
      type: string;
      required: string[];
      properties: Record<string, unknown>;
      $defs: Record<string, unknown>;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['format', 'version', 'nodes', 'edges']);
    expect(schema.properties.format).toEqual({ const: 'systems-sandbox/model' });
    expect(Object.keys(schema.$defs).sort()).toEqual(
      ['DurationDistribution', 'Edge', 'Fault', 'Node', 'Run', 'SizeDistribution'].sort()
    );
    const text = JSON.stringify(schema);
    // Unit patterns travel with the schema, so other tools can check "100 ms".
    expect(text).toContain(JSON.stringify(UNIT_PATTERNS.duration.source));
    // Every kind is there.
    for (const kind of ['client', 'link', 'queue', 'server', 'cores', 'nic', 'batcher', 'spawner', 'replicas', 'router', 'cache', 'sink']) {
      expect(text).toContain(`{"const":"${kind}"}`);
    }
  });
});
