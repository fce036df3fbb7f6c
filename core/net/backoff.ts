/**
 * Exponential backoff with jitter, as a pure value: the caller owns timers. Jitter spreads the
 * reconnects of many clients after a server restart so they do not arrive in one wave.
 */
import {
  DEFAULT_BACKOFF_INITIAL_MS,
  DEFAULT_BACKOFF_JITTER,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_BACKOFF_MULTIPLIER,
} from './limits.js';

export interface BackoffOptions {
  /** First delay. */
  initialMs?: number;
  /** Delays never exceed this. */
  maxMs?: number;
  /** Growth factor per attempt. */
  multiplier?: number;
  /** Fraction (0..1) by which a delay is randomly shortened or lengthened. */
  jitter?: number;
  /** Source of randomness in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    this.maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
    this.multiplier = options.multiplier ?? DEFAULT_BACKOFF_MULTIPLIER;
    this.jitter = options.jitter ?? DEFAULT_BACKOFF_JITTER;
    this.random = options.random ?? Math.random;
    if (this.initialMs <= 0 || this.maxMs < this.initialMs) throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${this.initialMs} and ${this.maxMs}`);
    if (this.multiplier < 1) throw new RangeError(`backoff multiplier must be >= 1, got ${this.multiplier}`);
    if (this.jitter < 0 || this.jitter > 1) throw new RangeError(`backoff jitter must be within 0..1, got ${this.jitter}`);
  }

  /** The delay before the next attempt; each call counts one more failed attempt. */
  nextDelayMs(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.multiplier ** this.attempt);
    this.attempt += 1;
    const spread = base * this.jitter * (2 * this.random() - 1);
    return Math.max(0, Math.min(this.maxMs, Math.round(base + spread)));
  }

  /** After a success the next failure starts again from the initial delay. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
