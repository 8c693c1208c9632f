/**
 * The open part of `analyze()`: Poisson (or renewal) sources, stations, links and routers,
 * processed one strongly connected component at a time in topological order.
 *
 * What flows between units is described by a `Stream`:
 *  - 'poisson': a Poisson process, or a flow inside a product-form (Jackson/BCMP) network where
 *    the marginal formulas still hold (exits of a quasi-reversible network are Poisson);
 *  - 'gi': a renewal process with a known inter-arrival `Dist` (only straight from a client);
 *  - 'other': rates known, process not (after a loss station, an M/G/1, round-robin, …).
 * A unit whose rates are unknown (state-dependent routing, faults, MMPP, schedules, retries,
 * closed clients, unsupported kinds, instability upstream) makes everything downstream unknown.
 *
 * Feedback loops: a component with a cycle is solved by its traffic equations only when it is
 * fed by Poisson traffic and every unit in it is product-form (M/M/c FCFS with one rate for all
 * classes, M/G/1-PS, infinite servers, links with infinite bandwidth, random/probabilistic
 * routers) without blocking.
 *
 * End-to-end means at a sink: Σ over units of (accepted rate × mean time per visit × probability
 * of then reaching this sink) divided by the sink's arrival rate. Routing is an independent coin
 * flip at each step, and in product-form networks an arrival sees the time-stationary state
 * whatever its route (arrival theorem), so each visit's mean does not depend on where the
 * request goes next; this gives the exact per-sink mean even when sinks see different mixtures.
 */

import type { Dist, ServerParams } from '../model/types';
import { gim1 } from './gim1';
import { poissonProbabilities } from './infinite';
import { mg1Ps, mg1PollaczekKhinchine } from './mg1';
import { mgcc } from './loss';
import { mmc, type MMcResult } from './mmc';
import { mg1kPs, mmck } from './mmck';
import {
  distLaplace,
  distMean,
  distQuantile,
  distSecondMoment,
  exponentialRate,
  scaleDist
} from './moments';
import { percentilesOf, solveLinear } from './numeric';
import { mg1PriorityNonPreemptive, mmcPriorityNonPreemptive } from './priority';
import {
  absorption,
  clientClasses,
  reachable,
  type ClassInfo,
  type Topology,
  type Unit
} from './topology';
import type { AnalyticNode, Quantiles } from './types';

export type Stream = 'poisson' | 'gi' | 'other';

export interface KnownUnit {
  status: 'known';
  /** Offered arrival rate per class (for a client: what it sends). */
  lambda: number[];
  /** Probability an arrival is admitted (1 − P(block)). */
  accept: number;
  /** Mean time per visit of an admitted request, per class. */
  W: number[];
  /** Mean time per visit spent waiting in queue nodes, per class; null when not well defined. */
  Wq: number[] | null;
  output: Stream;
  gi?: Dist;
  /** Product-form (Jackson/BCMP) node: may sit on a feedback loop. */
  productForm: boolean;
  formula: string;
  /** Sojourn and wait percentiles of the unit (a single FIFO M/M/c or GI/M/1 station). */
  quantiles?: { response: Quantiles; wait: Quantiles };
  reports: AnalyticNode[];
}

export type UnitOutcome =
  | KnownUnit
  | { status: 'unknown'; reason: string }
  | { status: 'unstable'; note: string; reports: AnalyticNode[] };

export interface OpenResult {
  outcome: UnitOutcome[];
  /** Node reports to publish. */
  reports: AnalyticNode[];
  network?: AnalyticNode;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

function unknown(reason: string): UnitOutcome {
  return { status: 'unknown', reason };
}

function idle(n: number): KnownUnit {
  const z = new Array<number>(n).fill(0);
  return {
    status: 'known',
    lambda: z,
    accept: 1,
    W: z,
    Wq: z,
    output: 'poisson',
    productForm: true,
    formula: '',
    reports: []
  };
}

/** Retries with more than one attempt change the load in ways no closed form here covers. */
export function hasRetries(retry: Record<string, unknown> | null): boolean {
  if (!retry) return false;
  const m = retry.maxAttempts;
  return !(typeof m === 'number' && m <= 1);
}

interface Ctx {
  topo: Topology;
  classes: ClassInfo[];
  tainted: Set<number>;
}

/* ------------------------------------------------------------------------------------------
 * Sources.
 * ---------------------------------------------------------------------------------------- */

function evalClient(u: Unit, ctx: Ctx): UnitOutcome {
  if (u.node.kind !== 'client') throw new Error('not a client');
  const p = u.node.params;
  if (p.mode !== 'open') return unknown('closed clients are handled by MVA');
  if (ctx.topo.hasInput[u.index]) return unknown('requests flow into this client');
  if (u.issue) return unknown(u.issue);
  if (p.schedule.length > 0) return unknown('a rate schedule makes the arrivals non-stationary');
  if (hasRetries(p.retry)) return unknown('retries change the offered load');
  if (p.retry?.circuitBreaker) return unknown('a circuit breaker sheds load when it opens');
  if (p.cancelOnTimeout && p.timeout !== null) return unknown('cancelled attempts leave the queues early');
  let rate: number;
  let output: Stream;
  let gi: Dist | undefined;
  if (p.interarrival) {
    const mean = distMean(p.interarrival);
    if (!(mean > 0) || !Number.isFinite(mean)) return unknown('the inter-arrival time has no finite positive mean');
    rate = 1 / mean;
    if (exponentialRate(p.interarrival) !== undefined) output = 'poisson';
    else {
      output = 'gi';
      gi = p.interarrival;
    }
  } else if (p.process === 'mmpp') {
    return unknown('MMPP arrivals are not a stationary Poisson process');
  } else {
    rate = p.rate;
    if (!(rate >= 0) || !Number.isFinite(rate)) return unknown('the rate is not a finite number');
    if (p.process === 'poisson') output = 'poisson';
    else {
      output = 'gi';
      gi = { dist: 'det', value: 1 / rate };
    }
  }
  const own = clientClasses(p);
  const totalWeight = sum(own.map((c) => c.weight));
  if (!(totalWeight > 0)) return unknown('the class weights sum to 0');
  const lambda = new Array<number>(ctx.classes.length).fill(0);
  for (const c of own) lambda[ctx.topo.classIndex.get(c.name)!] += (rate * c.weight) / totalWeight;
  const formula = output === 'poisson' ? 'Poisson source' : 'Renewal source (GI)';
  return {
    status: 'known',
    lambda,
    accept: 1,
    W: lambda.map(() => 0),
    Wq: lambda.map(() => 0),
    output,
    gi,
    productForm: true,
    formula,
    reports: [{ nodeId: u.node.id, formula, stable: true, throughput: rate }]
  };
}

/* ------------------------------------------------------------------------------------------
 * Stations.
 * ---------------------------------------------------------------------------------------- */

interface StationNumbers {
  formula: string;
  /** Accepted rate per class. */
  lambdaAcc: number[];
  pBlock?: number;
  /** Mean wait in the queue per class (admitted requests). */
  Wq: number[];
  /** Mean time in service per class (the server node's `response`). */
  service: number[];
  serverInSystem: number;
  utilisation?: number;
  queueInSystem: number;
  waitQuantiles?: Quantiles;
  serviceQuantiles?: Quantiles;
  stateProbabilities?: number[];
  note?: string;
}

function weighted(values: number[], rates: number[]): number {
  const total = sum(rates);
  return total > 0 ? values.reduce((s, v, c) => s + (rates[c] > 0 ? v * rates[c] : 0), 0) / total : 0;
}

function byClassOf(
  classes: ClassInfo[],
  rates: number[],
  response: number[],
  wait: number[] | null
): Record<string, { response?: number; wait?: number }> {
  const out: Record<string, { response?: number; wait?: number }> = {};
  classes.forEach((k, c) => {
    if (rates[c] > 0) out[k.name] = { response: response[c], ...(wait ? { wait: wait[c] } : {}) };
  });
  return out;
}

function stationReports(u: Unit, ctx: Ctx, s: StationNumbers): AnalyticNode[] {
  const X = sum(s.lambdaAcc);
  const Wq = weighted(s.Wq, s.lambdaAcc);
  const svc = weighted(s.service, s.lambdaAcc);
  const stationL = s.queueInSystem + s.serverInSystem;
  const out: AnalyticNode[] = [];
  const common = { formula: s.formula, stable: true, ...(s.note ? { note: s.note } : {}) };
  const blocked = s.pBlock !== undefined ? { pBlock: s.pBlock } : {};
  if (u.queue) {
    out.push({
      nodeId: u.queue.id,
      ...common,
      throughput: X,
      inSystem: s.queueInSystem,
      response: Wq,
      wait: Wq,
      ...blocked,
      ...(s.waitQuantiles ? { responseQuantiles: s.waitQuantiles, waitQuantiles: s.waitQuantiles } : {}),
      byClass: byClassOf(ctx.classes, s.lambdaAcc, s.Wq, s.Wq)
    });
  }
  out.push({
    nodeId: u.node.id,
    ...common,
    throughput: X,
    ...(s.utilisation !== undefined ? { utilisation: s.utilisation } : {}),
    inSystem: s.serverInSystem,
    response: svc,
    wait: Wq,
    station: { inSystem: stationL, response: X > 0 ? stationL / X : Wq + svc },
    ...blocked,
    ...(s.serviceQuantiles ? { responseQuantiles: s.serviceQuantiles } : {}),
    ...(s.waitQuantiles ? { waitQuantiles: s.waitQuantiles } : {}),
    byClass: byClassOf(ctx.classes, s.lambdaAcc, s.service, s.Wq),
    ...(s.stateProbabilities ? { stateProbabilities: s.stateProbabilities } : {})
  });
  return out;
}

function unstableReports(u: Unit, formula: string, note: string): UnitOutcome {
  return {
    status: 'unstable',
    note,
    reports: u.nodeIds.map((nodeId) => ({ nodeId, formula, stable: false, note }))
  };
}

/** Percentiles of one service distribution when every active class uses it and it has closed-form quantiles. */
function serviceQuantiles(dists: Dist[], rates: number[]): Quantiles | undefined {
  const active = dists.filter((_, c) => rates[c] > 0);
  if (active.length === 0) return undefined;
  const key = JSON.stringify(active[0]);
  if (!active.every((d) => JSON.stringify(d) === key)) return undefined;
  if (distQuantile(active[0], 0.5) === undefined) return undefined;
  return percentilesOf((q) => distQuantile(active[0], q) as number);
}

export function classDists(p: ServerParams, classes: ClassInfo[]): Dist[] {
  return classes.map((k) => p.serviceByClass[k.name] ?? p.service);
}

/** μ when every active class has exponential service of one rate. */
function commonExpRate(dists: Dist[], rates: number[]): number | undefined {
  let mu: number | undefined;
  for (let c = 0; c < dists.length; c++) {
    if (!(rates[c] > 0)) continue;
    const r = exponentialRate(dists[c]);
    if (r === undefined || (mu !== undefined && r !== mu)) return undefined;
    mu = r;
  }
  return mu;
}

function evalStation(u: Unit, ctx: Ctx, lambda: number[], kind: Stream, gi: Dist | undefined): UnitOutcome {
  if (u.node.kind !== 'server') throw new Error('not a station');
  const srv = u.node.params;
  const q = u.queue?.params;
  const C = ctx.classes;
  const n = C.length;
  const lam = sum(lambda);
  if (u.issue) return unknown(u.issue);
  if (srv.contention > 0) return unknown('contention makes the service time load-dependent');
  if (q && (q.discipline === 'codel' || q.discipline === 'adaptive-lifo')) {
    return unknown(`no closed form for a ${q.discipline} queue`);
  }
  const dists = classDists(srv, C);
  const ES = dists.map((d, c) => (lambda[c] > 0 ? distMean(d) : 0));
  const ES2 = dists.map((d, c) => (lambda[c] > 0 ? distSecondMoment(d) : 0));
  for (let c = 0; c < n; c++) {
    if (lambda[c] > 0 && !(ES[c] >= 0 && Number.isFinite(ES[c]))) {
      return unknown('the mean service time is infinite');
    }
  }
  const meanS = weighted(ES, lambda);
  const secondS = weighted(ES2, lambda);
  const mu = commonExpRate(dists, lambda);
  const svcQ = serviceQuantiles(dists, lambda);
  const c = srv.servers;
  const zeros = new Array<number>(n).fill(0);
  const known = (
    s: StationNumbers,
    extra: { accept?: number; output: Stream; productForm: boolean; quantiles?: KnownUnit['quantiles'] }
  ): KnownUnit => ({
    status: 'known',
    lambda,
    accept: extra.accept ?? 1,
    W: s.service.map((v, k) => v + s.Wq[k]),
    Wq: s.Wq,
    output: extra.output,
    productForm: extra.productForm,
    formula: s.formula,
    ...(extra.quantiles ? { quantiles: extra.quantiles } : {}),
    reports: stationReports(u, ctx, s)
  });

  // Infinite servers: nobody waits, whatever the arrival process (the means need nothing else).
  if (c === Infinity) {
    const formula = `${kind === 'poisson' ? 'M' : 'G'}/${mu !== undefined ? 'M' : 'G'}/∞`;
    return known(
      {
        formula,
        lambdaAcc: lambda,
        Wq: zeros,
        service: ES,
        serverInSystem: lam * meanS,
        queueInSystem: 0,
        serviceQuantiles: svcQ,
        ...(kind === 'poisson' ? { stateProbabilities: poissonProbabilities(lam * meanS) } : {}),
        ...(kind !== 'poisson' ? { note: 'infinite servers: the means hold for any arrival process' } : {})
      },
      { output: kind === 'poisson' ? 'poisson' : 'other', productForm: true }
    );
  }
  if (!Number.isInteger(c) || c < 1) return unknown('the number of servers is not a whole number ≥ 1');
  if (!(meanS > 0)) return unknown('zero service time');

  if (srv.discipline === 'ps') {
    if (c !== 1) return unknown('processor sharing with several servers');
    if (kind !== 'poisson') return unknown('processor sharing needs Poisson arrivals');
    const limit = srv.limit;
    if (limit === Infinity) {
      const r = mg1Ps(lam, meanS);
      if (!r.stable) return unstableReports(u, 'M/G/1-PS', r.note);
      return known(
        {
          formula: 'M/G/1-PS',
          lambdaAcc: lambda,
          Wq: zeros,
          service: ES.map((s) => s * r.slowdown),
          serverInSystem: r.L,
          utilisation: r.U,
          queueInSystem: 0,
          stateProbabilities: r.stateProbabilities,
          note: 'processor sharing is insensitive: E[T | S = x] = x/(1 − ρ)'
        },
        { output: 'poisson', productForm: true }
      );
    }
    if (!Number.isInteger(limit) || limit < 1) return unknown('the PS limit is not a whole number ≥ 1');
    if (!u.queue) {
      const r = mg1kPs(lam, meanS, limit);
      const rho = lam * meanS;
      return known(
        {
          formula: 'M/G/1/K-PS',
          lambdaAcc: lambda.map((l) => l * (1 - r.pBlock)),
          pBlock: r.pBlock,
          Wq: zeros,
          // Class composition is multinomial ∝ ρ_c in a symmetric queue, so E[T_c] ∝ E[S_c].
          service: ES.map((s) => (r.L * s) / (rho * (1 - r.pBlock))),
          serverInSystem: r.L,
          utilisation: 1 - r.stateProbabilities[0],
          queueInSystem: 0,
          stateProbabilities: r.stateProbabilities,
          note: `processor sharing admitting at most ${limit} (insensitive; K = limit)`
        },
        { accept: 1 - r.pBlock, output: 'other', productForm: false }
      );
    }
    if (q && q.capacity === Infinity && mu !== undefined && q.discipline !== 'priority') {
      // Exponential service at total rate μ whenever anyone is present: the count is M/M/1.
      const r = mmc(lam, mu, 1);
      if (!r.stable) return unstableReports(u, 'M/M/1 (PS with a limit)', r.note);
      const rho = r.rho;
      const Lq = Math.pow(rho, limit + 1) / (1 - rho);
      const inService = r.L - Lq;
      return known(
        {
          formula: 'M/M/1 (PS with a limit)',
          lambdaAcc: lambda,
          Wq: lambda.map(() => Lq / lam),
          service: lambda.map(() => inService / lam),
          serverInSystem: inService,
          utilisation: rho,
          queueInSystem: Lq,
          stateProbabilities: r.stateProbabilities,
          note: `processor sharing of at most ${limit} with exponential service: the number present is M/M/1`
        },
        { output: 'poisson', productForm: true }
      );
    }
    return unknown('processor sharing with a limit and this queue has no closed form here');
  }

  // FCFS with c servers.
  const lossSystem = !q || q.capacity === 0;
  if (lossSystem) {
    if (kind !== 'poisson') return unknown('a loss system needs Poisson arrivals for Erlang B');
    const r = mgcc(lam, meanS, c);
    return known(
      {
        formula: 'Erlang B (M/G/c/c)',
        lambdaAcc: lambda.map((l) => l * (1 - r.pBlock)),
        pBlock: r.pBlock,
        Wq: zeros,
        service: ES,
        serverInSystem: r.L,
        utilisation: r.U,
        queueInSystem: 0,
        serviceQuantiles: svcQ,
        stateProbabilities: r.stateProbabilities,
        note: q ? 'the queue holds nobody: a request that finds all servers busy is lost' : 'no waiting room: a request that finds all servers busy is lost'
      },
      { accept: 1 - r.pBlock, output: 'other', productForm: false }
    );
  }
  const qp = q!;
  if (qp.capacity < Infinity) {
    if (qp.discipline !== 'fifo') return unknown('finite capacity with a non-FIFO queue');
    if (kind !== 'poisson') return unknown('M/M/c/K needs Poisson arrivals');
    if (mu === undefined) return unknown('M/M/c/K needs exponential service of one rate for every class');
    if (!Number.isInteger(qp.capacity)) return unknown('the capacity is not a whole number');
    const K = qp.capacity + c;
    const r = mmck(lam, mu, c, K);
    return known(
      {
        formula: c === 1 ? 'M/M/1/K' : 'M/M/c/K',
        lambdaAcc: lambda.map((l) => l * (1 - r.pBlock)),
        pBlock: r.pBlock,
        Wq: lambda.map(() => r.Wq),
        service: lambda.map(() => 1 / mu),
        serverInSystem: r.X / mu,
        utilisation: r.U,
        queueInSystem: r.Lq,
        serviceQuantiles: svcQ,
        stateProbabilities: r.stateProbabilities,
        note: `K = capacity ${qp.capacity} + ${c} in service`
      },
      { accept: 1 - r.pBlock, output: 'other', productForm: false }
    );
  }

  // Infinite queue.
  const levels = new Set(C.filter((_, k) => lambda[k] > 0).map((k) => k.priority));
  const priorityOrder = qp.discipline === 'priority' && levels.size > 1;
  if (qp.discipline === 'priority' && C.some((k, i) => lambda[i] > 0 && k.conflict)) {
    return unknown('two clients define one class name with different priorities or sizes');
  }
  if (!priorityOrder) {
    const fifo = qp.discipline === 'fifo';
    const orderNote = fifo
      ? undefined
      : qp.discipline === 'lifo'
        ? 'LIFO (non-preemptive): the means equal FIFO; percentiles differ and are not given'
        : 'one priority level: served in arrival order';
    if (kind === 'poisson' && mu !== undefined) {
      const r = mmc(lam, mu, c);
      const formula = c === 1 ? 'M/M/1' : 'M/M/c';
      if (!r.stable) return unstableReports(u, formula, r.note);
      return known(
        {
          formula,
          lambdaAcc: lambda,
          Wq: lambda.map(() => r.Wq),
          service: lambda.map(() => 1 / mu),
          serverInSystem: r.offeredLoad,
          utilisation: r.U,
          queueInSystem: r.Lq,
          serviceQuantiles: svcQ,
          ...(fifo ? { waitQuantiles: r.waitQuantiles } : {}),
          stateProbabilities: r.stateProbabilities,
          ...(orderNote ? { note: orderNote } : {})
        },
        {
          output: 'poisson',
          productForm: true,
          ...(fifo ? { quantiles: { response: r.responseQuantiles, wait: r.waitQuantiles } } : {})
        }
      );
    }
    if (kind === 'gi' && c === 1 && mu !== undefined && gi) {
      if (distLaplace(gi, 0) === undefined) return unknown(`GI/M/1 needs the Laplace transform of a ${gi.dist}`);
      const r = gim1(gi, mu);
      if (!r.stable) return unstableReports(u, 'GI/M/1', r.note);
      return known(
        {
          formula: 'GI/M/1',
          lambdaAcc: lambda,
          Wq: lambda.map(() => r.Wq),
          service: lambda.map(() => 1 / mu),
          serverInSystem: r.rho,
          utilisation: r.U,
          queueInSystem: r.Lq,
          serviceQuantiles: svcQ,
          ...(fifo ? { waitQuantiles: r.waitQuantiles } : {}),
          stateProbabilities: r.stateProbabilities,
          note: `renewal arrivals (${gi.dist} inter-arrival), σ = ${r.sigma.toPrecision(6)}${orderNote ? '; ' + orderNote : ''}`
        },
        {
          output: 'other',
          productForm: false,
          ...(fifo ? { quantiles: { response: r.responseQuantiles, wait: r.waitQuantiles } } : {})
        }
      );
    }
    if (kind === 'poisson' && c === 1) {
      const r = mg1PollaczekKhinchine(lam, meanS, Math.max(secondS, meanS * meanS));
      const formula = 'M/G/1 (Pollaczek–Khinchine)';
      if (!r.stable) return unstableReports(u, formula, r.note);
      if (!Number.isFinite(r.Wq)) return unknown('E[S²] is infinite: the mean wait is infinite');
      return known(
        {
          formula,
          lambdaAcc: lambda,
          Wq: lambda.map(() => r.Wq),
          service: ES,
          serverInSystem: r.rho,
          utilisation: r.U,
          queueInSystem: r.Lq,
          serviceQuantiles: svcQ,
          ...(orderNote ? { note: orderNote } : {})
        },
        { output: 'other', productForm: false }
      );
    }
    return unknown(
      kind === 'poisson'
        ? 'no closed form for several servers with non-exponential (or class-dependent) service'
        : 'no closed form for this arrival process at a queueing station'
    );
  }

  // Non-preemptive priority classes.
  if (kind !== 'poisson') return unknown('priority classes need Poisson arrivals');
  const active = C.map((_, k) => k).filter((k) => lambda[k] > 0);
  if (c === 1) {
    const r = mg1PriorityNonPreemptive(
      active.map((k) => ({
        lambda: lambda[k],
        meanService: ES[k],
        secondMoment: Math.max(ES2[k], ES[k] * ES[k]),
        priority: C[k].priority
      }))
    );
    const formula = 'M/G/1 priority (non-preemptive)';
    if (!r.stable) return unstableReports(u, formula, r.note);
    if (!Number.isFinite(r.W0)) return unknown('E[S²] is infinite: the mean wait is infinite');
    const Wq = zeros.slice();
    active.forEach((k, i) => (Wq[k] = r.classes[i].Wq));
    return known(
      {
        formula,
        lambdaAcc: lambda,
        Wq,
        service: ES,
        serverInSystem: lam * meanS,
        utilisation: lam * meanS,
        queueInSystem: r.Lq,
        serviceQuantiles: svcQ
      },
      { output: 'other', productForm: false }
    );
  }
  if (mu === undefined) return unknown('priority with several servers needs exponential service of one rate');
  const r = mmcPriorityNonPreemptive(
    active.map((k) => ({ lambda: lambda[k], priority: C[k].priority })),
    mu,
    c
  );
  const formula = 'M/M/c priority (non-preemptive)';
  if (!r.stable) return unstableReports(u, formula, r.note);
  const Wq = zeros.slice();
  active.forEach((k, i) => (Wq[k] = r.classes[i].Wq));
  return known(
    {
      formula,
      lambdaAcc: lambda,
      Wq,
      service: lambda.map(() => 1 / mu),
      serverInSystem: lam / mu,
      utilisation: lam / (c * mu),
      queueInSystem: r.Lq,
      serviceQuantiles: svcQ
    },
    { output: 'other', productForm: false }
  );
}

/* ------------------------------------------------------------------------------------------
 * Links and routers.
 * ---------------------------------------------------------------------------------------- */

function evalLink(u: Unit, ctx: Ctx, lambda: number[], kind: Stream, gi: Dist | undefined): UnitOutcome {
  if (u.node.kind !== 'link') throw new Error('not a link');
  const p = u.node.params;
  if (u.issue) return unknown(u.issue);
  const lat = distMean(p.latency);
  if (!(lat >= 0) || !Number.isFinite(lat)) return unknown('the latency has no finite mean');
  const lam = sum(lambda);
  const n = ctx.classes.length;
  if (p.bandwidth === Infinity) {
    // Loss is a routing leak (P already carries 1 − loss); a lost request's time in the link
    // is not defined by the model, so the link itself is only reported without loss.
    const passGi = kind === 'gi' && p.latency.dist === 'det' && p.loss === 0;
    const formula = `${kind === 'poisson' ? 'M' : 'G'}/G/∞ (delay)`;
    return {
      status: 'known',
      lambda,
      accept: 1,
      W: new Array<number>(n).fill(lat),
      Wq: new Array<number>(n).fill(0),
      output: kind === 'poisson' ? 'poisson' : passGi ? 'gi' : 'other',
      ...(passGi ? { gi } : {}),
      productForm: true,
      formula,
      reports:
        p.loss === 0
          ? [{ nodeId: u.node.id, formula, stable: true, throughput: lam, inSystem: lam * lat, response: lat, wait: 0 }]
          : []
    };
  }
  if (p.loss > 0) return unknown('a lossy link with finite bandwidth');
  if (!(p.bandwidth > 0)) return unknown('zero bandwidth');
  // Serialisation: a FIFO single server with service size·8/bandwidth, then the latency.
  const ser: Dist[] = [];
  for (let c = 0; c < n; c++) {
    const size = ctx.classes[c].size;
    if (lambda[c] > 0 && (!size || ctx.classes[c].conflict)) return unknown('request sizes are not known');
    ser.push(size ? scaleDist(size, 8 / p.bandwidth) : { dist: 'det', value: 0 });
  }
  const ES = ser.map((d, c) => (lambda[c] > 0 ? distMean(d) : 0));
  const ES2 = ser.map((d, c) => (lambda[c] > 0 ? distSecondMoment(d) : 0));
  const meanS = weighted(ES, lambda);
  if (!(meanS > 0) || !Number.isFinite(meanS)) return unknown('the serialisation time has no finite positive mean');
  const mu = commonExpRate(ser, lambda);
  let formula: string;
  let Wq: number;
  let output: Stream;
  let productForm = false;
  if (kind === 'poisson' && mu !== undefined) {
    const r = mmc(lam, mu, 1);
    formula = 'M/M/1 + delay';
    if (!r.stable) return unstableReports(u, formula, r.note);
    Wq = r.Wq;
    output = 'poisson';
    productForm = true;
  } else if (kind === 'gi' && mu !== undefined && gi && distLaplace(gi, 0) !== undefined) {
    const r = gim1(gi, mu);
    formula = 'GI/M/1 + delay';
    if (!r.stable) return unstableReports(u, formula, r.note);
    Wq = r.Wq;
    output = 'other';
  } else if (kind === 'poisson') {
    const r = mg1PollaczekKhinchine(lam, meanS, Math.max(weighted(ES2, lambda), meanS * meanS));
    formula = 'M/G/1 (Pollaczek–Khinchine) + delay';
    if (!r.stable) return unstableReports(u, formula, r.note);
    if (!Number.isFinite(r.Wq)) return unknown('E[S²] is infinite');
    Wq = r.Wq;
    output = 'other';
  } else {
    return unknown('no closed form for this arrival process on a link with finite bandwidth');
  }
  const W = ES.map((s) => Wq + s + lat);
  const meanW = weighted(W, lambda);
  return {
    status: 'known',
    lambda,
    accept: 1,
    W,
    // Whether the simulator counts the wait for the wire as "waiting in a queue" is not
    // specified, so sinks downstream give no total wait.
    Wq: null,
    output,
    productForm,
    formula,
    reports: [
      {
        nodeId: u.node.id,
        formula,
        stable: true,
        throughput: lam,
        inSystem: lam * meanW,
        response: meanW,
        note: 'serialisation (size/bandwidth) as a FIFO single server, then the latency as a delay'
      }
    ]
  };
}

function evalRouter(u: Unit, ctx: Ctx, lambda: number[], kind: Stream, gi: Dist | undefined): UnitOutcome {
  if (u.node.kind !== 'router') throw new Error('not a router');
  if (u.issue) return unknown(u.issue);
  const policy = u.node.params.policy;
  const z = lambda.map(() => 0);
  const base = { status: 'known' as const, lambda, accept: 1, W: z, Wq: z, formula: '', reports: [] };
  if (policy === 'random' || policy === 'probabilistic') {
    const single = ctx.topo.succ[u.index].length === 1 && ctx.topo.P[u.index][ctx.topo.succ[u.index][0]] === 1;
    if (kind === 'gi' && single) return { ...base, output: 'gi', gi, productForm: true };
    return { ...base, output: kind === 'gi' ? 'other' : kind, productForm: true };
  }
  if (policy === 'round-robin' || policy === 'weighted') {
    // The long-run split is known, but the streams are not Poisson any more.
    return { ...base, output: 'other', productForm: false };
  }
  return unknown(`the ${policy} policy routes by state: the split is not known in closed form`);
}

/* ------------------------------------------------------------------------------------------
 * The pass.
 * ---------------------------------------------------------------------------------------- */

function evalUnit(u: Unit, ctx: Ctx, lambda: number[], kind: Stream, gi: Dist | undefined): UnitOutcome {
  switch (u.kind) {
    case 'station':
      return evalStation(u, ctx, lambda, kind, gi);
    case 'link':
      return evalLink(u, ctx, lambda, kind, gi);
    case 'router':
      return evalRouter(u, ctx, lambda, kind, gi);
    case 'sink':
      return { ...idle(ctx.classes.length), lambda, output: 'other', productForm: true, formula: '' };
    case 'client':
      return unknown('requests flow into a client');
    case 'other':
      return unknown(u.issue ?? 'no closed form');
  }
}

/** Accepted departure rate per class of a known unit. */
function departures(o: KnownUnit): number[] {
  return o.lambda.map((l) => l * o.accept);
}

export function analyzeOpen(topo: Topology, faultUnits: Set<number>): OpenResult {
  const U = topo.units.length;
  const n = topo.classes.length;
  const tainted = reachable(topo.succ, faultUnits);
  const ctx: Ctx = { topo, classes: topo.classes, tainted };
  const outcome: UnitOutcome[] = new Array(U);
  const { P } = topo;
  const live = reachable(
    topo.succ,
    topo.units.filter((u) => u.kind === 'client').map((u) => u.index)
  );

  for (const comp of topo.components) {
    const cycle = comp.length > 1 || topo.onCycle[comp[0]];
    const inComp = new Set(comp);
    // External input to each member, from units already done.
    const gamma = comp.map(() => new Array<number>(n).fill(0));
    const kinds: { kind: Stream; gi?: Dist; p: number; from: number }[][] = comp.map(() => []);
    let blocked: string | null = null;
    for (let m = 0; m < comp.length; m++) {
      const j = comp[m];
      for (const i of topo.pred[j]) {
        if (inComp.has(i)) continue;
        const o = outcome[i];
        if (o.status !== 'known') {
          blocked = o.status === 'unstable' ? 'an unstable station upstream' : 'unknown traffic upstream';
          continue;
        }
        const dep = departures(o);
        if (sum(dep) === 0) continue;
        for (let c = 0; c < n; c++) gamma[m][c] += dep[c] * P[i][j];
        kinds[m].push({ kind: o.output, gi: o.gi, p: P[i][j], from: i });
      }
    }
    if (comp.some((j) => tainted.has(j))) blocked = 'a fault makes this part of the model non-stationary';
    // Units that no client can reach carry nothing, whatever they are.
    if (comp.every((j) => !live.has(j))) {
      for (const j of comp) outcome[j] = idle(n);
      continue;
    }

    if (!cycle) {
      const j = comp[0];
      const u = topo.units[j];
      if (u.kind === 'client') {
        outcome[j] = tainted.has(j) ? unknown('a fault makes this client non-stationary') : evalClient(u, ctx);
        continue;
      }
      if (blocked) {
        outcome[j] = unknown(blocked);
        continue;
      }
      const lam = gamma[0];
      if (sum(lam) === 0) {
        outcome[j] = idle(n);
        continue;
      }
      const ks = kinds[0];
      let kind: Stream;
      let gi: Dist | undefined;
      if (ks.length === 1 && ks[0].kind === 'gi' && ks[0].p === 1) {
        kind = 'gi';
        gi = ks[0].gi;
      } else if (ks.every((k) => k.kind === 'poisson')) kind = 'poisson';
      else kind = 'other';
      outcome[j] = evalUnit(u, ctx, lam, kind, gi);
      continue;
    }

    // A feedback loop: product-form members only, Poisson inputs only, no blocking.
    const fail = (reason: string) => comp.forEach((j) => (outcome[j] = unknown(reason)));
    if (blocked) {
      fail(blocked);
      continue;
    }
    if (kinds.some((ks) => ks.some((k) => k.kind !== 'poisson'))) {
      fail('a feedback loop fed by non-Poisson traffic');
      continue;
    }
    // Traffic equations inside the component, per class: λ = γ + λ·P_SS.
    const A = comp.map((i) => comp.map((j) => (i === j ? 1 : 0) - P[j][i]));
    const lambdas = comp.map(() => new Array<number>(n).fill(0));
    let singular = false;
    for (let c = 0; c < n; c++) {
      const x = solveLinear(
        A,
        gamma.map((g) => g[c])
      );
      if (!x) {
        singular = true;
        break;
      }
      x.forEach((v, m) => (lambdas[m][c] = Math.max(0, v)));
    }
    if (singular) {
      fail('a loop that requests enter but never leave');
      continue;
    }
    const results = comp.map((j, m) =>
      sum(lambdas[m]) === 0 ? idle(n) : evalUnit(topo.units[j], ctx, lambdas[m], 'poisson', undefined)
    );
    const unstable = results.filter((r) => r.status === 'unstable');
    if (unstable.length > 0) {
      comp.forEach((j, m) => {
        const r = results[m];
        outcome[j] = r.status === 'unstable' ? r : unknown('a station on this loop is unstable');
      });
      continue;
    }
    const bad = results.find((r) => r.status !== 'known' || !r.productForm || r.accept !== 1);
    if (bad) {
      fail(
        bad.status === 'unknown'
          ? bad.reason
          : 'a feedback loop through a station that is not product-form (Jackson/BCMP)'
      );
      continue;
    }
    comp.forEach((j, m) => {
      const r = results[m] as KnownUnit;
      const note = 'on a feedback loop: arrival rate from the traffic equations (product form)';
      r.reports = r.reports.map((rep) => ({ ...rep, note: rep.note ? `${rep.note}; ${note}` : note }));
      r.output = 'poisson';
      outcome[j] = r;
    });
  }

  const reports: AnalyticNode[] = [];
  for (const o of outcome) if (o.status !== 'unknown') reports.push(...o.reports);
  reports.push(...sinkReports(topo, outcome));
  return { outcome, reports, network: networkReport(topo, outcome) };
}

/* ------------------------------------------------------------------------------------------
 * Sinks and the whole network.
 * ---------------------------------------------------------------------------------------- */

function ancestors(topo: Topology, k: number): number[] {
  const seen = new Set<number>();
  const todo = [...topo.pred[k]];
  while (todo.length > 0) {
    const i = todo.pop()!;
    if (seen.has(i) || i === k) continue;
    seen.add(i);
    todo.push(...topo.pred[i]);
  }
  return [...seen];
}

function sinkReports(topo: Topology, outcome: UnitOutcome[]): AnalyticNode[] {
  const out: AnalyticNode[] = [];
  const n = topo.classes.length;
  for (const sink of topo.units) {
    if (sink.kind !== 'sink') continue;
    const k = sink.index;
    const o = outcome[k];
    if (o.status !== 'known' || sum(o.lambda) === 0) continue;
    const live = ancestors(topo, k).filter((i) => {
      const a = outcome[i];
      return a.status !== 'known' || sum(a.lambda) > 0;
    });
    if (live.some((i) => outcome[i].status !== 'known')) continue;
    const known = live.map((i) => outcome[i] as KnownUnit);
    const h = absorption(topo.P, live, k, (j) => (j === k ? 1 : (outcome[j] as KnownUnit).accept));
    if (!h) continue;
    const num = new Array<number>(n).fill(0);
    const waitNum = new Array<number>(n).fill(0);
    let waitKnown = true;
    live.forEach((i, m) => {
      const u = known[m];
      const hi = h.get(i)!;
      for (let c = 0; c < n; c++) {
        const acc = u.lambda[c] * u.accept;
        if (acc === 0) continue;
        num[c] += acc * u.W[c] * hi;
        if (u.Wq) waitNum[c] += acc * u.Wq[c] * hi;
        else if (u.W[c] > 0) waitKnown = false;
      }
    });
    const rate = o.lambda;
    const X = sum(rate);
    const byClass: Record<string, { response?: number; wait?: number }> = {};
    topo.classes.forEach((cl, c) => {
      if (rate[c] > 0) byClass[cl.name] = { response: num[c] / rate[c], ...(waitKnown ? { wait: waitNum[c] / rate[c] } : {}) };
    });
    // One station on every path, visited once: its sojourn distribution is the end-to-end one.
    const timed = live.filter((i) => topo.units[i].kind !== 'client' && topo.units[i].kind !== 'router');
    let quantiles: KnownUnit['quantiles'];
    let formula: string;
    formula = known.every((u) => u.productForm) ? 'Jackson network' : 'Open network (sum of per-visit means)';
    if (timed.length === 1 && !topo.onCycle[timed[0]]) {
      const j = timed[0];
      const uj = outcome[j] as KnownUnit;
      const through = sum(departures(uj)) * h.get(j)!;
      if (Math.abs(through - X) <= 1e-9 * X) {
        formula = uj.formula;
        if (uj.quantiles) quantiles = uj.quantiles;
      }
    }
    out.push({
      nodeId: sink.node.id,
      formula,
      stable: true,
      throughput: X,
      response: sum(num) / X,
      ...(waitKnown ? { wait: sum(waitNum) / X } : {}),
      ...(quantiles ? { responseQuantiles: quantiles.response, waitQuantiles: quantiles.wait } : {}),
      byClass
    });
  }
  return out;
}

function networkReport(topo: Topology, outcome: UnitOutcome[]): AnalyticNode | undefined {
  const clients = topo.units.filter((u) => u.kind === 'client');
  if (clients.length === 0) return undefined;
  if (clients.some((u) => u.node.kind === 'client' && u.node.params.mode !== 'open')) return undefined;
  const live = topo.units.filter((u) => {
    const o = outcome[u.index];
    return o.status !== 'known' || sum(o.lambda) > 0;
  });
  const unstable = live.filter((u) => outcome[u.index].status === 'unstable');
  if (unstable.length > 0) {
    return {
      nodeId: '',
      formula: 'Open network',
      stable: false,
      note: `no steady state: ${unstable.map((u) => u.node.id).join(', ')} ${unstable.length > 1 ? 'are' : 'is'} overloaded (ρ ≥ 1)`
    };
  }
  if (live.length === 0 || live.some((u) => outcome[u.index].status !== 'known')) return undefined;
  const known = live.map((u) => outcome[u.index] as KnownUnit);
  let L = 0;
  let external = 0;
  let completions = 0;
  live.forEach((u, m) => {
    const o = known[m];
    if (u.kind === 'client') external += sum(o.lambda);
    else if (u.kind === 'sink') completions += sum(o.lambda);
    else o.lambda.forEach((l, c) => (L += l * o.accept * o.W[c]));
  });
  if (!(external > 0)) return undefined;
  const lossless = Math.abs(completions - external) <= 1e-9 * external;
  const productForm = known.every((o) => o.productForm);
  return {
    nodeId: '',
    formula: productForm ? 'Jackson network' : 'Open network',
    stable: true,
    throughput: completions,
    inSystem: L,
    ...(lossless ? { response: L / external } : {}),
    note: lossless
      ? 'response = L / (total external rate), by Little’s law'
      : 'some requests are lost or leave without reaching a sink: see each sink for its mean end-to-end time'
  };
}
