/**
 * A shared counter in one znode, updated by compare-and-set: read the value and its version,
 * write value + by conditioned on that version, and start over on BADVERSION (someone else
 * wrote in between). No increment is lost and none is applied twice.
 *
 * A lost reply (CONNECTIONLOSS) to the conditional write is the subtle case: retrying blindly
 * could add twice. Each write therefore carries a random token next to the value (`"42 <uuid>"`);
 * afterwards the node's version says whether any write landed on ours, and the token whose.
 * If the node has moved on by two versions or more, nobody can tell: IncrementOutcomeUnknownError.
 */
import { randomUUID } from 'node:crypto';
import type { CoordClient } from '../client/coord-client.js';
import { ErrorCode } from '../zookeeper-constants.js';
import { CounterContentionError, CounterCorruptError, CounterOverflowError, IncrementOutcomeUnknownError, InvalidArgumentError } from './errors.js';
import { DEFAULT_MAX_INCREMENT_ATTEMPTS, MAX_INCREMENT_ATTEMPTS } from './limits.js';
import { isErrorCode, retryIdempotent } from './waits.js';

export interface DistributedCounterOptions {
  /** Compare-and-set attempts per increment before CounterContentionError (default 100). */
  maxAttempts?: number;
}

interface CounterState {
  value: number;
  token: string | undefined;
  version: number;
}

const CONTENT = /^(-?\d+)(?: ([0-9a-f-]{36}))?$/;

export class DistributedCounter {
  private readonly maxAttempts: number;

  constructor(
    private readonly client: CoordClient,
    readonly counterPath: string,
    options: DistributedCounterOptions = {},
  ) {
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_INCREMENT_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_INCREMENT_ATTEMPTS) {
      throw new InvalidArgumentError('maxAttempts', maxAttempts, `an integer in 1..${MAX_INCREMENT_ATTEMPTS}`);
    }
    this.maxAttempts = maxAttempts;
  }

  /** The current value (0 if the counter was never written). */
  async get(): Promise<number> {
    return (await this.read()).value;
  }

  /** Adds `by` (may be negative) and returns the value our write produced. */
  async increment(by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new InvalidArgumentError('by', by, 'a safe integer');
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const current = await this.read();
      const next = current.value + by;
      if (!Number.isSafeInteger(next)) throw new CounterOverflowError(this.counterPath, current.value, by);
      const token = randomUUID();
      try {
        await this.client.setData(this.counterPath, `${next} ${token}`, current.version);
        return next;
      } catch (error) {
        if (isErrorCode(error, ErrorCode.BADVERSION)) continue;
        if (!isErrorCode(error, ErrorCode.CONNECTIONLOSS)) throw error;
        if (await this.landed(current.version, token, by)) return next;
      }
    }
    throw new CounterContentionError(this.counterPath, this.maxAttempts);
  }

  /** After a lost reply: did our write (conditioned on `version`) land? */
  private async landed(version: number, token: string, by: number): Promise<boolean> {
    const now = await this.read();
    if (now.version === version) return false;
    // Only one write can succeed on `version`; the node's token says whether it was ours.
    if (now.version === version + 1) return now.token === token;
    throw new IncrementOutcomeUnknownError(this.counterPath, by);
  }

  /** Reads value and version, creating the counter at 0 if it does not exist yet. */
  private async read(): Promise<CounterState> {
    try {
      const { data, stat } = await retryIdempotent(() => this.client.getData(this.counterPath));
      return { ...this.parse(data.toString()), version: stat.version };
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.NONODE)) throw error;
      await this.createAtZero();
      return this.read();
    }
  }

  private async createAtZero(): Promise<void> {
    const parent = this.counterPath.slice(0, this.counterPath.lastIndexOf('/'));
    if (parent) await this.client.mkdirp(parent);
    try {
      await retryIdempotent(() => this.client.create(this.counterPath, '0'));
    } catch (error) {
      // Someone else (or our own lost-reply attempt) created it first: same result.
      if (!isErrorCode(error, ErrorCode.NODEEXISTS)) throw error;
    }
  }

  private parse(content: string): { value: number; token: string | undefined } {
    const match = CONTENT.exec(content);
    const value = match ? Number(match[1]) : NaN;
    if (!match || !Number.isSafeInteger(value)) throw new CounterCorruptError(this.counterPath, content);
    return { value, token: match[2] };
  }
}
