// Entry of a CLI experiment thread (src/cli/nodeWorker.ts): load TypeScript through tsx, as
// bin/sandbox-sim.mjs does for the main thread, then expose the experiment service.
import { register } from 'tsx/esm/api';

register();
await import('./experimentWorker.ts');
