/**
 * The inputs of the metastability analysis (PAPERS.md §6) and how they are read from a model.
 *
 * The analysis needs one loop: an open Poisson `client` (rate λ, timeout τ, retries R) whose
 * `out` feeds a FIFO `queue` (waiting room `capacity`) whose `out` feeds a `server` (c identical
 * FCFS servers, exponential service of mean 1/μ). The state bound used everywhere is
 * N = capacity + c: requests in the system, waiting or in service.
 *
 * Anything else gets a clear "not applicable: …" with the node's path, never a wrong number.
 */
import type { ModelIssue, NormalizedModel, NormalizedNode } from '../../model/types';
import { exponentialRate } from '../moments';

export interface MetastabilityParams {
  /** λ: rate of first attempts, 1/s. */
  arrivalRate: number;
  /** μ: service rate of one server, 1/s (exponential service). */
  serviceRate: number;
  /** c: number of servers (threads). */
  servers: number;
  /** Waiting room of the queue (not counting those in service). N = capacity + servers. */
  capacity: number;
  /** τ: client timeout, s. */
  timeout: number;
  /** R: retries after the first attempt (maxAttempts − 1). */
  retries: number;
}

/** A load spike: first attempts arrive at `rate` for `duration` seconds, then at λ again. */
export interface Trigger {
  rate: number;
  duration: number;
}

/** N = capacity + c: the most requests the system holds (waiting plus in service). */
export function systemBound(p: MetastabilityParams): number {
  return p.capacity + p.servers;
}

/** Per orbit request: the retry rate R/((R+1)τ) and the give-up rate 1/((R+1)τ) (PAPERS.md §6). */
export function orbitRates(p: MetastabilityParams): { retry: number; drop: number } {
  const life = (p.retries + 1) * p.timeout;
  return { retry: p.retries / life, drop: 1 / life };
}

/** Located problems with direct parameters (the UI's inputs); empty when they are usable. */
export function checkParams(p: MetastabilityParams, path = ''): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const need = (k: keyof MetastabilityParams, ok: boolean, what: string) => {
    if (!ok) issues.push({ path: at(k), message: `expected ${what}, got ${JSON.stringify(p[k])}` });
  };
  need('arrivalRate', Number.isFinite(p.arrivalRate) && p.arrivalRate > 0, 'a rate > 0 (1/s)');
  need('serviceRate', Number.isFinite(p.serviceRate) && p.serviceRate > 0, 'a rate > 0 (1/s)');
  need('servers', Number.isInteger(p.servers) && p.servers >= 1, 'a whole number of servers ≥ 1');
  need('capacity', Number.isInteger(p.capacity) && p.capacity >= 0, 'a whole, finite capacity ≥ 0');
  need('timeout', Number.isFinite(p.timeout) && p.timeout > 0, 'a timeout > 0 (s)');
  need('retries', Number.isInteger(p.retries) && p.retries >= 0, 'a whole number of retries ≥ 0');
  return issues;
}

export type ExtractResult =
  | {
      ok: true;
      params: MetastabilityParams;
      /** The model's first `rate` fault on the client, if any: the experiment's trigger. */
      trigger: Trigger | null;
      nodes: { client: string; queue: string; server: string };
      notes: string[];
    }
  | { ok: false; notApplicable: string; path: string };

/**
 * Read λ, τ, R, capacity, c and μ from the model's client → queue → server loop. `client`
 * chooses among several clients (default: the first client whose `out` feeds a queue).
 */
export function metastabilityParamsFromModel(model: NormalizedModel, options: { client?: string } = {}): ExtractResult {
  const index = new Map(model.nodes.map((n, i) => [n.id, i] as const));
  const no = (notApplicable: string, path: string): ExtractResult => ({ ok: false, notApplicable: `not applicable: ${notApplicable}`, path });
  const next = (id: string): NormalizedNode[] =>
    model.edges.filter((e) => e.from.node === id && e.from.port === 'out').map((e) => model.nodes[index.get(e.to.node)!]);

  const clients = model.nodes.filter((n) => n.kind === 'client' && (options.client === undefined || n.id === options.client));
  if (clients.length === 0) {
    return options.client === undefined
      ? no('the model has no client', 'nodes')
      : no(`there is no client "${options.client}"`, 'nodes');
  }
  const client = clients.find((c) => next(c.id).some((n) => n.kind === 'queue')) ?? clients[0];
  const ci = index.get(client.id)!;
  const cPath = `nodes[${ci}]`;
  if (client.kind !== 'client') throw new Error('unreachable');
  const cp = client.params;
  const targets = next(client.id);
  if (targets.length !== 1 || targets[0].kind !== 'queue') {
    return no(`client "${client.id}" must feed exactly one queue directly (client → queue → server)`, `${cPath}`);
  }
  const queue = targets[0];
  if (queue.kind !== 'queue') throw new Error('unreachable');
  const qPath = `nodes[${index.get(queue.id)}]`;
  const behind = next(queue.id);
  if (behind.length !== 1 || behind[0].kind !== 'server') {
    return no(`queue "${queue.id}" must feed exactly one server directly (client → queue → server)`, qPath);
  }
  const server = behind[0];
  if (server.kind !== 'server') throw new Error('unreachable');
  const sPath = `nodes[${index.get(server.id)}]`;

  if (cp.mode !== 'open') return no(`client "${client.id}" is closed; the model needs open Poisson arrivals`, `${cPath}.params.mode`);
  if (cp.interarrival !== null) {
    const rate = exponentialRate(cp.interarrival);
    if (rate === undefined) return no(`client "${client.id}" has a non-exponential inter-arrival distribution; the model needs Poisson arrivals`, `${cPath}.params.interarrival`);
  } else if (cp.process !== 'poisson') {
    return no(`client "${client.id}" uses the ${cp.process} process; the model needs Poisson arrivals`, `${cPath}.params.process`);
  }
  const lambda = cp.interarrival !== null ? exponentialRate(cp.interarrival)! : cp.rate;
  if (cp.timeout === null) {
    return no(`client "${client.id}" has no timeout, so nothing times out and nothing is retried`, `${cPath}.params.timeout`);
  }
  let retries = 0;
  const notes: string[] = [];
  if (cp.retry !== null) {
    // The model layer has filled every field (maxAttempts defaults to 3, retryOn to all failures).
    retries = cp.retry.maxAttempts - 1;
    if (retries > 0 && !cp.retry.retryOn.includes('timeout')) {
      return no(`client "${client.id}" does not retry on timeout (retryOn ${JSON.stringify(cp.retry.retryOn)}); the orbit model retries timed-out requests`, `${cPath}.params.retry.retryOn`);
    }
    if (cp.retry.backoff.kind !== 'none' || cp.retry.jitter !== 'none') {
      notes.push('backoff and jitter are not modelled: each orbit request retries after an exponential time of mean (R+1)τ/R (PAPERS.md §6)');
    }
    if (cp.retry.budget !== null || cp.retry.circuitBreaker !== null) {
      notes.push('retry budget and circuit breaker are not modelled');
    }
  }
  if (cp.cancelOnTimeout) {
    notes.push('cancelOnTimeout is not modelled: as in PAPERS.md §6, a timed-out request still takes its turn at the server (wasted work)');
  }
  if (cp.classes.length > 1) notes.push('request classes are ignored: every request is served alike');

  const qp = queue.params;
  if (!Number.isFinite(qp.capacity)) {
    return no(`queue "${queue.id}" has no capacity; the chain needs a finite bound N = capacity + servers`, `${qPath}.params.capacity`);
  }
  if (qp.discipline !== 'fifo') return no(`queue "${queue.id}" uses ${qp.discipline}; T(q) assumes FIFO`, `${qPath}.params.discipline`);

  const sp = server.params;
  if (!Number.isFinite(sp.servers)) return no(`server "${server.id}" has infinitely many servers, so nothing ever queues`, `${sPath}.params.servers`);
  if (sp.discipline !== 'fcfs') return no(`server "${server.id}" uses ${sp.discipline}; the model needs FCFS`, `${sPath}.params.discipline`);
  const mu = exponentialRate(sp.service);
  if (mu === undefined) {
    return no(`server "${server.id}" has ${sp.service.dist} service; the chain needs exponential service (dist "exp")`, `${sPath}.params.service`);
  }
  if (Object.keys(sp.serviceByClass).length > 0) return no(`server "${server.id}" has per-class service times`, `${sPath}.params.serviceByClass`);
  if (sp.contention !== 0) return no(`server "${server.id}" has contention; the model needs a load-independent rate`, `${sPath}.params.contention`);

  const fault = model.faults.find((f) => f.target === client.id && f.action === 'rate');
  const params: MetastabilityParams = {
    arrivalRate: lambda,
    serviceRate: mu,
    servers: sp.servers,
    capacity: qp.capacity,
    timeout: cp.timeout,
    retries
  };
  if (cp.schedule.length > 0) notes.push('the rate schedule is ignored: λ is the client\'s base rate');
  return {
    ok: true,
    params,
    trigger: fault ? { rate: fault.value, duration: fault.for } : null,
    nodes: { client: client.id, queue: queue.id, server: server.id },
    notes
  };
}
