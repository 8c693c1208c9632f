/**
 * The JSON Schema of the document, for other tools (editors, CI checks), generated from the
 * valibot schema. Cross-field rules (min ≤ max, probabilities summing to 1, ids, edges and
 * fault targets) do not translate; `restore` remains the authority.
 *
 * scripts/export-schema.ts writes it to static/schema/model-v1.json; a test keeps that file in
 * step with the schema.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { DurationDist, SizeDist } from './dist.ts';
import { DocumentSchema, EdgeSchema, FaultSchema, NodeSchema, RunSchema } from './document.ts';
import { MODEL_FORMAT, MODEL_VERSION } from './types.ts';

/** Where the exported file lives, relative to the repository root. */
export const JSON_SCHEMA_FILE = `static/schema/model-v${MODEL_VERSION}.json`;

export function buildJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(DocumentSchema, {
    target: 'draft-07',
    // Checks, transforms and non-JSON rules have no JSON Schema form: leave them out.
    errorMode: 'ignore',
    definitions: {
      DurationDistribution: DurationDist,
      SizeDistribution: SizeDist,
      Node: NodeSchema,
      Edge: EdgeSchema,
      Fault: FaultSchema,
      Run: RunSchema
    }
  }) as Record<string, unknown>;
  const { $schema, description: _description, ...rest } = schema;
  return {
    $schema,
    title: `Systems Sandbox model (${MODEL_FORMAT}, version ${MODEL_VERSION})`,
    description:
      'Generated from the valibot schema by scripts/export-schema.ts; do not edit. Rules across fields (min ≤ max, probabilities summing to 1, unique ids, edges naming existing nodes and ports, fault targets) are checked by the app, not by this schema. Docs: docs/model-format.md.',
    ...rest
  };
}

/** The exact text of the exported file: two-space JSON and a final newline. */
export function serializeJsonSchema(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
