/**
 * Phi-accrual failure detector (Hayashibara et al., 2004; as in Cassandra and Akka): instead of a
 * yes/no timeout it gives phi, the suspicion that a node is down, from how late its heartbeat is
 * compared with the intervals seen so far: phi = -log10(P(the next heartbeat comes this late or
 * later)), with intervals modelled as a normal distribution (Akka's logistic approximation).
 * phi = 1 means a 10% chance the node is still alive, 8 (the default threshold) one in 10^8.
 *
 * Guarantees: pure and deterministic (arrival times and `nowMs` are passed in); a bounded window of
 * intervals per node (old intervals roll out, so the detector adapts to a node's rhythm); a node
 * never heard from is not available; heartbeats arriving out of order are ignored.
 */
import { InvalidOptionError } from './errors.js';
import {
  DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE_MS,
  DEFAULT_FIRST_HEARTBEAT_ESTIMATE_MS,
  DEFAULT_HEARTBEAT_WINDOW,
  DEFAULT_MIN_STD_DEVIATION_MS,
  DEFAULT_PHI_THRESHOLD,
  MAX_HEARTBEAT_WINDOW,
  MAX_TRACKED_NODES,
} from './limits.js';

export interface FailureDetectorOptions {
  /** Suspect a node when phi exceeds this. Default DEFAULT_PHI_THRESHOLD. */
  readonly threshold?: number;
  /** Intervals remembered per node. Default DEFAULT_HEARTBEAT_WINDOW, at most MAX_HEARTBEAT_WINDOW. */
  readonly windowSize?: number;
  /** Floor of the standard deviation. Default DEFAULT_MIN_STD_DEVIATION_MS. */
  readonly minStdDeviationMs?: number;
  /** Added to the mean interval. Default DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE_MS. */
  readonly acceptablePauseMs?: number;
  /** Mean interval assumed after the first heartbeat. Default DEFAULT_FIRST_HEARTBEAT_ESTIMATE_MS. */
  readonly firstHeartbeatEstimateMs?: number;
  /** Most nodes tracked. Default MAX_TRACKED_NODES. */
  readonly maxNodes?: number;
}

/** Fixed-size window of intervals with running sums, so phi is O(1). */
class IntervalWindow {
  readonly #intervals: Float64Array;
  #next = 0;
  #count = 0;
  #sum = 0;
  #sumOfSquares = 0;

  constructor(size: number) {
    this.#intervals = new Float64Array(size);
  }

  get count(): number {
    return this.#count;
  }

  add(intervalMs: number): void {
    if (this.#count === this.#intervals.length) {
      const evicted = this.#intervals[this.#next] ?? 0;
      this.#sum -= evicted;
      this.#sumOfSquares -= evicted * evicted;
    } else {
      this.#count++;
    }
    this.#intervals[this.#next] = intervalMs;
    this.#next = (this.#next + 1) % this.#intervals.length;
    this.#sum += intervalMs;
    this.#sumOfSquares += intervalMs * intervalMs;
  }

  get mean(): number {
    return this.#sum / this.#count;
  }

  get variance(): number {
    const mean = this.mean;
    return Math.max(0, this.#sumOfSquares / this.#count - mean * mean);
  }
}

interface NodeHistory {
  lastArrivalMs: number;
  readonly window: IntervalWindow;
}

function optionInRange(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(name, value, `${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  }
  return value;
}

export class PhiAccrualFailureDetector {
  readonly threshold: number;
  readonly windowSize: number;
  readonly minStdDeviationMs: number;
  readonly acceptablePauseMs: number;
  readonly firstHeartbeatEstimateMs: number;
  readonly maxNodes: number;
  readonly #nodes = new Map<string, NodeHistory>();

  constructor(options: FailureDetectorOptions = {}) {
    this.threshold = optionInRange('threshold', options.threshold ?? DEFAULT_PHI_THRESHOLD, 0.1, 100, false);
    this.windowSize = optionInRange('windowSize', options.windowSize ?? DEFAULT_HEARTBEAT_WINDOW, 1, MAX_HEARTBEAT_WINDOW, true);
    this.minStdDeviationMs = optionInRange('minStdDeviationMs', options.minStdDeviationMs ?? DEFAULT_MIN_STD_DEVIATION_MS, 1, 3_600_000, false);
    this.acceptablePauseMs = optionInRange('acceptablePauseMs', options.acceptablePauseMs ?? DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE_MS, 0, 3_600_000, false);
    this.firstHeartbeatEstimateMs = optionInRange('firstHeartbeatEstimateMs', options.firstHeartbeatEstimateMs ?? DEFAULT_FIRST_HEARTBEAT_ESTIMATE_MS, 1, 3_600_000, false);
    this.maxNodes = optionInRange('maxNodes', options.maxNodes ?? MAX_TRACKED_NODES, 1, MAX_TRACKED_NODES, true);
  }

  /**
   * Records a heartbeat from `node` arriving at `arrivalMs` (local monotonic time). Returns false and
   * changes nothing when it is older than the last one, or when the node is new and maxNodes are
   * already tracked.
   */
  heartbeat(node: string, arrivalMs: number): boolean {
    if (!Number.isFinite(arrivalMs)) throw new InvalidOptionError('arrivalMs', arrivalMs, 'a finite number of milliseconds');
    const history = this.#nodes.get(node);
    if (history === undefined) {
      if (this.#nodes.size >= this.maxNodes) return false;
      const window = new IntervalWindow(this.windowSize);
      // Seed with the estimate (±25%), as Akka does, so one heartbeat gives a usable rhythm.
      const estimate = this.firstHeartbeatEstimateMs;
      window.add(estimate - estimate / 4);
      window.add(estimate + estimate / 4);
      this.#nodes.set(node, { lastArrivalMs: arrivalMs, window });
      return true;
    }
    if (arrivalMs < history.lastArrivalMs) return false;
    history.window.add(arrivalMs - history.lastArrivalMs);
    history.lastArrivalMs = arrivalMs;
    return true;
  }

  /** Suspicion that `node` is down at `nowMs`: 0 just after a heartbeat, Infinity if never heard. */
  phi(node: string, nowMs: number): number {
    const history = this.#nodes.get(node);
    if (history === undefined) return Infinity;
    const elapsedMs = Math.max(0, nowMs - history.lastArrivalMs);
    const mean = history.window.mean + this.acceptablePauseMs;
    const deviation = Math.max(Math.sqrt(history.window.variance), this.minStdDeviationMs);
    const y = (elapsedMs - mean) / deviation;
    const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    const phi = elapsedMs > mean ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
    return Number.isNaN(phi) ? Infinity : Math.max(0, phi);
  }

  /** True when phi is below the threshold. */
  isAvailable(node: string, nowMs: number): boolean {
    return this.phi(node, nowMs) < this.threshold;
  }

  /** The nodes of `nodes` not available at `nowMs` (what the coordinator takes as `down`). */
  downNodes(nodes: Iterable<string>, nowMs: number): Set<string> {
    const down = new Set<string>();
    for (const node of nodes) if (!this.isAvailable(node, nowMs)) down.add(node);
    return down;
  }

  /** Stops tracking `node` (it left the ring); the next heartbeat starts afresh. */
  forget(node: string): void {
    this.#nodes.delete(node);
  }

  /** Nodes tracked. */
  nodes(): string[] {
    return [...this.#nodes.keys()];
  }
}
