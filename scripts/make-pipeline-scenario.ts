/**
 * Write the gallery scenario static/models/log-pipeline.json (idea 5, PAPERS.md §5): the
 * log-processing pipeline of issue #7 as a model, built by pipelineToModel from what the shell
 * analysis finds in the script. Run after changing the catalogue or the model builder:
 *
 *   npx tsx scripts/make-pipeline-scenario.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeShell } from '../src/lib/shell/index.ts';
import { LOG_PIPELINE_SCENARIO, pipelineToModel } from '../src/lib/shell/pipelineModel.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const report = await analyzeShell(LOG_PIPELINE_SCENARIO.script);
const doc = pipelineToModel(report.pipelines[0], { title: LOG_PIPELINE_SCENARIO.title });
const out = { $schema: '../schema/model-v1.json', ...doc };
writeFileSync(join(root, 'static/models/log-pipeline.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote static/models/log-pipeline.json (${doc.nodes.length} nodes)`);
