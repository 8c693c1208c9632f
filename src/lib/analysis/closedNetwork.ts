/**
 * The closed part of `analyze()`: closed clients (N users, think time Z) over product-form
 * stations, solved by exact multi-class MVA with one chain per closed client.
 *
 * A cycle of chain r: think (Z_r) → send → the network → a sink → the client learns of the
 * completion after `responseLatency` → think again. Think time and response latency are delays
 * outside the reported path. The sink's response is the time from sending to completion.
 *
 * Claimed only when every assumption holds: no open client reaches the same units, no faults,
 * no timeouts or retries on the closed clients, every request ends at a sink (no loss, no
 * unrouted exit), routers random/probabilistic, and each station is product-form and can
 * never block with the whole population present:
 *  - FCFS with exponential service of one rate for every class: c = 1 → queueing station,
 *    c > 1 → load-dependent μ(n) = min(n, c)μ; the queue in front must hold N − c;
 *  - PS with one server (any service, limit ≥ N): queueing station with per-chain demands;
 *  - infinite servers, or c ≥ N (nobody ever waits), or a link with infinite bandwidth: delay.
 */

import { distMean, exponentialRate } from './moments';
import { MAX_MVA_STATES, mvaMulti, type MvaMultiStation } from './mva';
import { solveLinear } from './numeric';
import { classDists, hasRetries } from './openNetwork';
import { absorption, clientClasses, reachable, type Topology, type Unit } from './topology';
import type { AnalyticNode } from './types';

type StationModel =
  | { type: 'fcfs'; unit: Unit; mu: number; servers: number }
  | { type: 'ps'; unit: Unit }
  | { type: 'delay'; unit: Unit; servers: number }
  | { type: 'link'; unit: Unit; latency: number };

export interface ClosedResult {
  reports: AnalyticNode[];
  network?: AnalyticNode;
}

const FORMULA = 'MVA (closed)';
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

export function analyzeClosed(topo: Topology, faultUnits: Set<number>): ClosedResult {
  const empty: ClosedResult = { reports: [] };
  const chains = topo.units.filter((u) => u.kind === 'client' && u.node.kind === 'client' && u.node.params.mode === 'closed');
  if (chains.length === 0) return empty;
  const comp = reachable(
    topo.succ,
    chains.map((u) => u.index)
  );
  const openClients = topo.units.filter((u) => u.kind === 'client' && !chains.includes(u)).map((u) => u.index);
  const openReach = reachable(topo.succ, openClients);
  if ([...comp].some((i) => openReach.has(i))) return empty; // mixed open/closed traffic
  if ([...faultUnits].some((i) => comp.has(i))) return empty;

  // The chains.
  const R = chains.length;
  const population: number[] = [];
  const think: number[] = [];
  const mix: number[][] = []; // mix[r][class] = probability a request of chain r has that class
  for (const u of chains) {
    if (u.node.kind !== 'client') return empty;
    const p = u.node.params;
    if (topo.hasInput[u.index] || u.issue) return empty;
    if (p.timeout !== null || hasRetries(p.retry) || p.retry?.circuitBreaker) return empty;
    if (!Number.isInteger(p.users) || p.users < 0) return empty;
    const z = distMean(p.thinkTime) + distMean(p.responseLatency);
    if (!(z >= 0) || !Number.isFinite(z)) return empty;
    const own = clientClasses(p);
    const total = sum(own.map((c) => c.weight));
    if (!(total > 0)) return empty;
    const m = new Array<number>(topo.classes.length).fill(0);
    for (const c of own) m[topo.classIndex.get(c.name)!] += c.weight / total;
    population.push(p.users);
    think.push(z);
    mix.push(m);
  }
  const Ntot = sum(population);
  if (Ntot === 0) return empty;
  if (population.reduce((s, n) => s * (n + 1), 1) > MAX_MVA_STATES) return empty;

  // Visits per chain over the transient units (everything but sinks).
  const transient = [...comp].filter((i) => topo.units[i].kind !== 'sink').sort((a, b) => a - b);
  const sinks = [...comp].filter((i) => topo.units[i].kind === 'sink').sort((a, b) => a - b);
  const pos = new Map(transient.map((u, k) => [u, k]));
  const A = transient.map((i) => transient.map((j) => (i === j ? 1 : 0) - topo.P[j][i]));
  const visits: number[][] = []; // visits[r][k] for transient unit k
  for (const u of chains) {
    const e = transient.map((i) => (i === u.index ? 1 : 0));
    const v = solveLinear(A, e);
    if (!v || v.some((x) => x < -1e-12)) return empty;
    visits.push(v.map((x) => Math.max(0, x)));
  }
  const exitProb = visits.map((v) =>
    sinks.map((k) => transient.reduce((s, i, m) => s + v[m] * topo.P[i][k], 0))
  );
  if (exitProb.some((ps) => Math.abs(sum(ps) - 1) > 1e-9)) return empty; // requests can be lost

  // Stations.
  const models: StationModel[] = [];
  for (const i of transient) {
    const u = topo.units[i];
    if (u.kind === 'client') continue;
    if (u.kind === 'router') {
      if (u.node.kind !== 'router' || u.issue) return empty;
      const policy = u.node.params.policy;
      if (policy !== 'random' && policy !== 'probabilistic') return empty;
      continue;
    }
    if (u.kind === 'link') {
      if (u.node.kind !== 'link' || u.issue) return empty;
      const lp = u.node.params;
      if (lp.bandwidth !== Infinity || lp.loss !== 0) return empty;
      const latency = distMean(lp.latency);
      if (!(latency >= 0) || !Number.isFinite(latency)) return empty;
      models.push({ type: 'link', unit: u, latency });
      continue;
    }
    if (u.kind !== 'station' || u.node.kind !== 'server') return empty;
    const srv = u.node.params;
    const q = u.queue?.params;
    if (srv.contention > 0) return empty;
    if (q && (q.discipline === 'codel' || q.discipline === 'adaptive-lifo')) return empty;
    const k = pos.get(i)!;
    const visiting = topo.classes.map((_, c) => visits.some((v, r) => v[k] > 0 && mix[r][c] > 0));
    const dists = classDists(srv, topo.classes);
    for (let c = 0; c < dists.length; c++) {
      if (!visiting[c]) continue;
      const m = distMean(dists[c]);
      if (!(m >= 0) || !Number.isFinite(m)) return empty;
    }
    const c = srv.servers;
    if (c === Infinity) {
      models.push({ type: 'delay', unit: u, servers: Infinity });
      continue;
    }
    if (!Number.isInteger(c) || c < 1) return empty;
    if (srv.discipline === 'ps') {
      if (c !== 1 || srv.limit < Ntot) return empty;
      models.push({ type: 'ps', unit: u });
      continue;
    }
    if (c >= Ntot) {
      models.push({ type: 'delay', unit: u, servers: c });
      continue;
    }
    if (!q || q.capacity + c < Ntot) return empty; // a request could be lost
    const levels = new Set(topo.classes.filter((_, cl) => visiting[cl]).map((cl) => cl.priority));
    if (q.discipline === 'priority' && levels.size > 1) return empty; // not product form
    let mu: number | undefined;
    for (let cl = 0; cl < dists.length; cl++) {
      if (!visiting[cl]) continue;
      const rate = exponentialRate(dists[cl]);
      if (rate === undefined || (mu !== undefined && rate !== mu)) return empty;
      mu = rate;
    }
    if (mu === undefined) return empty;
    models.push({ type: 'fcfs', unit: u, mu, servers: c });
  }

  // Mean service per visit of chain r at a unit, mixing the chain's classes.
  const meanService = (m: StationModel, r: number): number => {
    if (m.type === 'link') return m.latency;
    if (m.type === 'fcfs') return 1 / m.mu;
    const dists = classDists(m.unit.node.params as Parameters<typeof classDists>[0], topo.classes);
    return mix[r].reduce((s, p, c) => (p > 0 ? s + p * distMean(dists[c]) : s), 0);
  };
  const classService = (m: StationModel, c: number): number => {
    if (m.type === 'link') return m.latency;
    if (m.type === 'fcfs') return 1 / m.mu;
    return distMean(classDists(m.unit.node.params as Parameters<typeof classDists>[0], topo.classes)[c]);
  };

  const stations: MvaMultiStation[] = models.map((m) => {
    const k = pos.get(m.unit.index)!;
    const demands = chains.map((_, r) => visits[r][k] * meanService(m, r));
    if (m.type === 'fcfs') return m.servers === 1 ? { type: 'queue', demands } : { type: 'ld', demands, servers: m.servers };
    if (m.type === 'ps') return { type: 'queue', demands };
    return { type: 'delay', demands };
  });
  let res: ReturnType<typeof mvaMulti>;
  try {
    res = mvaMulti({ stations, population, thinkTime: think });
  } catch {
    return empty;
  }
  const X = res.throughput;

  // Per-visit mean time of chain r, class c at model m (and the part spent waiting).
  const perVisit = (mi: number, r: number, c: number): { w: number; wait: number } => {
    const m = models[mi];
    const k = pos.get(m.unit.index)!;
    const v = visits[r][k];
    const wr = v > 0 ? res.stations[mi].residence[r] / v : 0;
    if (m.type === 'fcfs') return { w: wr, wait: Math.max(0, wr - 1 / m.mu) };
    if (m.type === 'ps') {
      // Product form: chain-r customers' classes are mixed ∝ p_c·E[S_c], so T_c ∝ E[S_c].
      const s = meanService(m, r);
      return { w: s > 0 ? (wr * classService(m, c)) / s : 0, wait: 0 };
    }
    return { w: classService(m, c), wait: 0 };
  };

  const reports: AnalyticNode[] = [];
  chains.forEach((u, r) => {
    reports.push({
      nodeId: u.node.id,
      formula: FORMULA,
      stable: true,
      throughput: X[r],
      note: `closed population of ${population[r]} users, think time ${think[r].toPrecision(4)} s (incl. response latency)`
    });
  });

  models.forEach((m, mi) => {
    const u = m.unit;
    const k = pos.get(u.index)!;
    const Xi = sum(chains.map((_, r) => X[r] * visits[r][k]));
    const Qi = sum(res.stations[mi].queueLength);
    const Wi = Xi > 0 ? Qi / Xi : 0;
    const byClass: Record<string, { response?: number; wait?: number }> = {};
    const queueByClass: Record<string, { response?: number; wait?: number }> = {};
    topo.classes.forEach((cl, c) => {
      let rate = 0;
      let w = 0;
      let wait = 0;
      chains.forEach((_, r) => {
        const f = X[r] * mix[r][c] * visits[r][k];
        if (f === 0) return;
        const pv = perVisit(mi, r, c);
        rate += f;
        w += f * pv.w;
        wait += f * pv.wait;
      });
      if (rate > 0) {
        byClass[cl.name] = { response: (w - wait) / rate, wait: wait / rate };
        queueByClass[cl.name] = { response: wait / rate, wait: wait / rate };
      }
    });
    if (m.type === 'link') {
      reports.push({ nodeId: u.node.id, formula: FORMULA, stable: true, throughput: Xi, inSystem: Qi, response: Wi, wait: 0 });
      return;
    }
    const busy = res.stations[mi].busy;
    const inService = m.type === 'fcfs' ? busy : Qi;
    const waiting = Qi - inService;
    const wq = Xi > 0 ? waiting / Xi : 0;
    const note =
      m.type === 'fcfs'
        ? m.servers === 1
          ? 'exact MVA: FCFS exponential single server'
          : `exact MVA: FCFS exponential, ${m.servers} servers (load-dependent μ(n) = min(n, ${m.servers})μ)`
        : m.type === 'ps'
          ? 'exact MVA: processor sharing (any service distribution)'
          : m.servers === Infinity
            ? 'exact MVA: infinite servers (delay)'
            : `exact MVA: ${m.servers} servers ≥ population, nobody waits (delay)`;
    if (u.queue) {
      reports.push({
        nodeId: u.queue.id,
        formula: FORMULA,
        stable: true,
        throughput: Xi,
        inSystem: waiting,
        response: wq,
        wait: wq,
        byClass: queueByClass,
        note
      });
    }
    const utilisation =
      m.type === 'fcfs' ? busy / m.servers : m.type === 'ps' ? busy : m.servers === Infinity ? undefined : busy / m.servers;
    const marginal = res.stations[mi].marginal;
    reports.push({
      nodeId: u.node.id,
      formula: FORMULA,
      stable: true,
      throughput: Xi,
      ...(utilisation !== undefined ? { utilisation } : {}),
      inSystem: inService,
      response: Xi > 0 ? inService / Xi : 0,
      wait: wq,
      station: { inSystem: Qi, response: Wi },
      byClass,
      ...(marginal ? { stateProbabilities: marginal } : {}),
      note
    });
  });

  // Sinks: route-conditioned path time (think and response latency excluded).
  const modelOf = new Map(models.map((m, mi) => [m.unit.index, mi]));
  sinks.forEach((k, s) => {
    const h = absorption(topo.P, transient, k, () => 1);
    if (!h) return;
    let rate = 0;
    let num = 0;
    let waitNum = 0;
    const byClass: Record<string, { response?: number; wait?: number }> = {};
    const classRate = topo.classes.map(() => 0);
    const classNum = topo.classes.map(() => 0);
    const classWait = topo.classes.map(() => 0);
    chains.forEach((_, r) => {
      if (X[r] === 0) return;
      rate += X[r] * exitProb[r][s];
      topo.classes.forEach((__, c) => (classRate[c] += X[r] * mix[r][c] * exitProb[r][s]));
      for (const [unitIndex, mi] of modelOf) {
        const kk = pos.get(unitIndex)!;
        const v = visits[r][kk];
        const hi = h.get(unitIndex) ?? 0;
        if (v === 0 || hi === 0) continue;
        num += X[r] * res.stations[mi].residence[r] * hi;
        topo.classes.forEach((__, c) => {
          if (mix[r][c] === 0) return;
          const pv = perVisit(mi, r, c);
          classNum[c] += X[r] * mix[r][c] * v * pv.w * hi;
          classWait[c] += X[r] * mix[r][c] * v * pv.wait * hi;
          waitNum += X[r] * mix[r][c] * v * pv.wait * hi;
        });
      }
    });
    if (!(rate > 0)) return;
    topo.classes.forEach((cl, c) => {
      if (classRate[c] > 0) byClass[cl.name] = { response: classNum[c] / classRate[c], wait: classWait[c] / classRate[c] };
    });
    reports.push({
      nodeId: topo.units[k].node.id,
      formula: FORMULA,
      stable: true,
      throughput: rate,
      response: num / rate,
      wait: waitNum / rate,
      byClass,
      note: 'time from sending to completion (think time and response latency excluded)'
    });
  });

  const totalX = sum(X);
  const inNetwork = sum(res.stations.map((s) => sum(s.queueLength)));
  const network: AnalyticNode | undefined =
    openClients.length === 0 && totalX > 0
      ? {
          nodeId: '',
          formula: FORMULA,
          stable: true,
          throughput: totalX,
          inSystem: inNetwork,
          response: sum(X.map((x, r) => x * res.response[r])) / totalX,
          note: 'closed network: requests in flight (thinking users excluded) and mean time from sending to completion'
        }
      : undefined;
  return { reports, network };
}
