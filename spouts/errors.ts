/**
 * Typed errors of the ready-made spouts. Bad options are reported as the topology API's
 * InvalidConfigError (naming the option, its value and what is expected); failures at run time
 * carry a SpoutErrorCode, the offending value and what to do.
 */
import { InvalidConfigError } from '../core/topology/api/errors.js';

export type SpoutErrorCode =
  | 'CHECKPOINT_CORRUPT'
  | 'LINE_TOO_LONG'
  | 'OFFSET_ORDER_VIOLATED'
  | 'PARTITION_NOT_FOUND';

export class SpoutError extends Error {
  constructor(
    readonly code: SpoutErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Throws InvalidConfigError unless `value` is undefined or an integer in min..max. */
export function checkIntegerOption(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidConfigError(name, value, `an integer in ${min}..${max}`);
  }
}

/** Throws InvalidConfigError unless `value` is undefined or a finite number in (0, max]. */
export function checkPositiveOption(name: string, value: unknown, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new InvalidConfigError(name, value, `a number in (0, ${max}]`);
  }
}
