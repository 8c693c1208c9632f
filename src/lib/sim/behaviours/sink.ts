/**
 * `sink`: completion (MODEL.md §2). Records the end-to-end time since the request was created
 * (response), the total time it spent waiting in queues (wait), per-class response, and a p99
 * per time-series bucket; then hands the request back to its client.
 */
import { Behaviour } from './behaviour';

export class SinkBehaviour extends Behaviour {
  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    st.departures++;
    const e2e = now - pool.created[r];
    st.recordResponse(e2e); // and this bucket's p99
    st.wait.record(pool.waited[r]);
    // With one class in the model the per-class histogram would equal `response`.
    const byClass = st.byClass;
    if (byClass !== null && byClass.length > 1) byClass[pool.gcls[r]].record(e2e);
    this.sim.complete(r, now);
  }
}
