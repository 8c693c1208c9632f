/**
 * Requests live in a struct-of-arrays pool: one typed array per field, a request is an index.
 * No object is allocated per request, so the hot path makes no garbage (ARCHITECTURE.md §9).
 *
 * Invariant: an index is either on the free stack or owned by exactly one place (a node's buffer,
 * a server slot, an in-flight event). Whoever drops or completes a request frees it.
 */
export class RequestPool {
  capacity: number;
  /** Creation time (the first attempt's send). */
  created!: Float64Array;
  /** When the request entered the node it is at now (for a server: when service began). */
  enteredAt!: Float64Array;
  /** When it entered the current station (queue in front of a server); NaN when in none. */
  stationEnter!: Float64Array;
  /** Total time spent waiting in queues so far. */
  waited!: Float64Array;
  /** Completion time scheduled at the current node (stale-event check). */
  due!: Float64Array;
  /** Size in bytes. */
  size!: Float64Array;
  /** Index of the client node that created it. */
  client!: Int32Array;
  /** Class index within its client. */
  cls!: Int32Array;
  /** Global class index (across all clients) used by priority queues and per-class stats. */
  gcls!: Int32Array;
  /** Node index where it is now. */
  at!: Int32Array;
  /** Position in a server's in-service list. */
  slot!: Int32Array;
  /** Last load-aware router that routed it and the edge slot it chose (least-outstanding). */
  lbRouter!: Int32Array;
  lbEdge!: Int32Array;
  /** The logical request this attempt belongs to: a slot in its client's table (see client.ts). */
  logical!: Int32Array;
  /** Attempt number within the logical request, 1 for the first. */
  attempt!: Int32Array;
  /** 1 when the client cancelled this attempt on timeout: servers discard it before starting it. */
  cancelled!: Uint8Array;
  /** The cache node that missed this request and fills its key when it completes, or -1. */
  cacheNode!: Int32Array;
  /** The key a cache drew for this request (kept by retries of the same logical request), or -1. */
  cacheKey!: Int32Array;
  /**
   * The latest node that asked to hear when this request leaves the system (completed or
   * dropped), or −1; that node passes the news on to the one before it (batchers count
   * requests in flight end to end).
   */
  watcher!: Int32Array;

  /**
   * Whether `alloc` resets the optional fields (`lbRouter`, `cancelled`, `cacheNode`,
   * `cacheKey`, `watcher`). The engine clears it when no node of the model writes them
   * (Behaviour.writesRequestExtras): they then keep the neutral values `grow` gives them.
   */
  resetExtras = true;

  private free: Int32Array;
  private freeTop = 0;
  /** Requests currently allocated. */
  live = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = 0;
    this.free = new Int32Array(0);
    this.grow(initialCapacity);
  }

  alloc(): number {
    if (this.freeTop === 0) this.grow(this.capacity * 2);
    const r = this.free[--this.freeTop];
    this.live++;
    this.stationEnter[r] = NaN;
    this.waited[r] = 0;
    this.slot[r] = -1;
    if (this.resetExtras) this.clearExtras(r);
    return r;
  }

  private clearExtras(r: number): void {
    this.lbRouter[r] = -1;
    this.cancelled[r] = 0;
    this.cacheNode[r] = -1;
    this.cacheKey[r] = -1;
    this.watcher[r] = -1;
  }

  release(r: number): void {
    this.free[this.freeTop++] = r;
    this.live--;
    this.at[r] = -1;
    this.due[r] = NaN;
  }

  private grow(n: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array | undefined) => {
      const b = new Float64Array(n);
      if (a) b.set(a);
      return b;
    };
    const i32 = (a: Int32Array | undefined, neutral = 0) => {
      const b = new Int32Array(n);
      if (a) b.set(a);
      if (neutral !== 0) b.fill(neutral, old);
      return b;
    };
    this.created = f64(this.created);
    this.enteredAt = f64(this.enteredAt);
    this.stationEnter = f64(this.stationEnter);
    this.waited = f64(this.waited);
    this.due = f64(this.due);
    this.size = f64(this.size);
    this.client = i32(this.client);
    this.cls = i32(this.cls);
    this.gcls = i32(this.gcls);
    this.at = i32(this.at);
    this.slot = i32(this.slot);
    this.lbRouter = i32(this.lbRouter, -1);
    this.lbEdge = i32(this.lbEdge);
    this.logical = i32(this.logical);
    this.attempt = i32(this.attempt);
    const cancelled = new Uint8Array(n);
    if (this.cancelled) cancelled.set(this.cancelled);
    this.cancelled = cancelled;
    this.cacheNode = i32(this.cacheNode, -1);
    this.cacheKey = i32(this.cacheKey, -1);
    this.watcher = i32(this.watcher, -1);
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeTop));
    // Push new indices so that the lowest is handed out first (deterministic, cache friendly).
    for (let i = n - 1; i >= old; i--) free[this.freeTop++] = i;
    this.free = free;
    this.capacity = n;
  }
}
