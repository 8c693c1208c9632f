/**
 * The palette's entries: every node kind (from the model layer's registry) with a line saying
 * what it models (MODEL.md §3) and words people might search for, and the quick-add search.
 */
import { KINDS } from '../model/kinds/index.ts';
import { NODE_KINDS, type NodeKind } from '../model/types.ts';

export interface PaletteEntry {
  kind: NodeKind;
  title: string;
  blurb: string;
  keywords: string;
}

const INFO: Record<NodeKind, { blurb: string; keywords: string }> = {
  client: { blurb: 'A population of callers: open (a rate) or closed (users who think).', keywords: 'source arrivals users load generator traffic' },
  link: { blurb: 'A network hop: latency, bandwidth and loss.', keywords: 'network wire hop latency rtt' },
  queue: { blurb: 'A buffer in front of whatever it feeds.', keywords: 'buffer fifo lifo backlog waiting line' },
  server: { blurb: 'c identical servers with a service time.', keywords: 'service station worker backend' },
  cores: { blurb: 'A host: CPU cores with run queues and processes.', keywords: 'cpu host scheduler threads processes' },
  nic: { blurb: 'The receive path from the wire to the cores.', keywords: 'network card interrupt kernel bypass rss' },
  batcher: { blurb: 'Groups requests and pays a per-flush overhead.', keywords: 'batch nagle flush group' },
  spawner: { blurb: 'A process created per request (fork, posix_spawn).', keywords: 'fork exec spawn process cgi serverless' },
  replicas: { blurb: 'A replicated state machine (Raft or PBFT).', keywords: 'consensus raft pbft quorum replication' },
  router: { blurb: 'A load balancer or a probabilistic split; fans out.', keywords: 'load balancer split route weighted jsq p2c' },
  cache: { blurb: 'A look-aside cache: hits and misses leave by two ports.', keywords: 'hit miss lru memcached redis' },
  sink: { blurb: 'Completion: where a request ends and is measured.', keywords: 'end done exit complete response' }
};

export const PALETTE: readonly PaletteEntry[] = NODE_KINDS.map((kind) => ({
  kind,
  title: KINDS[kind].title,
  blurb: INFO[kind].blurb,
  keywords: INFO[kind].keywords
}));

/**
 * Kinds matching a query, best first: a title that starts with it, then a title that
 * contains it, then a match in the keywords or the description. An empty query lists all.
 */
export function searchKinds(query: string): PaletteEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...PALETTE];
  const scored: { e: PaletteEntry; s: number; i: number }[] = [];
  PALETTE.forEach((e, i) => {
    const title = e.title.toLowerCase();
    let s = 0;
    if (title.startsWith(q) || e.kind.startsWith(q)) s = 3;
    else if (title.includes(q)) s = 2;
    else if (e.keywords.includes(q) || e.blurb.toLowerCase().includes(q)) s = 1;
    if (s > 0) scored.push({ e, s, i });
  });
  return scored.sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.e);
}
