#!/usr/bin/env node
// The headless CLI: runs src/cli/sim.ts through tsx so the engine is the very same TypeScript
// the app runs in its workers.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/sim.ts');
process.exitCode = await main(process.argv.slice(2));
