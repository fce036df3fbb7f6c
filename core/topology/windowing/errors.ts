/**
 * Typed errors of windowed bolts. Each has a stable `code`, names the component when it is known,
 * and says what to change. Configuration mistakes are thrown (at the fluent call or at prepare);
 * run-time trouble (overflow, bad timestamps, a throwing execute) is reported through the
 * collector while the bolt keeps serving its other tuples.
 */

export type WindowingErrorCode =
  | 'INVALID_WINDOW_CONFIG'
  | 'WINDOW_EXCEEDS_MESSAGE_TIMEOUT'
  | 'WINDOW_OVERFLOW'
  | 'INVALID_TIMESTAMP'
  | 'TOO_MANY_WATERMARK_SOURCES'
  | 'WINDOW_EXECUTE_FAILED';

export class WindowingError extends Error {
  constructor(
    readonly code: WindowingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A window setting is missing, out of range, or inconsistent with another. */
export class InvalidWindowConfigError extends WindowingError {
  constructor(readonly componentId: string | undefined, readonly setting: string, readonly value: unknown, expected: string) {
    super('INVALID_WINDOW_CONFIG', `${componentId === undefined ? '' : `component '${componentId}': `}window setting '${setting}' is ${describe(value)}; expected ${expected}`);
  }
}

/** A tuple would wait in the window longer than the topology lets a tuple tree live (Storm's check). */
export class WindowExceedsTimeoutError extends WindowingError {
  constructor(readonly componentId: string, readonly waitMs: number, readonly timeoutSecs: number) {
    super(
      'WINDOW_EXCEEDS_MESSAGE_TIMEOUT',
      `component '${componentId}': a tuple may wait ${waitMs} ms in its windows (length + slide + lag + watermark interval), ` +
        `not below 'topology.message.timeout.secs' = ${timeoutSecs}; raise the timeout or shorten the window, or its tuples would time out and be replayed forever`,
    );
  }
}

/** More tuples buffered than the bolt's bound: the oldest were failed (their spouts replay them). */
export class WindowOverflowError extends WindowingError {
  constructor(readonly componentId: string, readonly failedCount: number, readonly maxTuples: number) {
    super('WINDOW_OVERFLOW', `component '${componentId}': window buffer over ${maxTuples} tuples; failed the ${failedCount} oldest. Shorten the window, raise withMaxBufferedTuples, or limit topology.max.spout.pending`);
  }
}

/** The timestamp field or extractor gave no finite number. The tuple is failed. */
export class InvalidTimestampError extends WindowingError {
  constructor(readonly componentId: string, readonly sourceComponent: string, readonly value: unknown, cause?: unknown) {
    super('INVALID_TIMESTAMP', `component '${componentId}': tuple from '${sourceComponent}' has timestamp ${describe(value)}; expected a finite number of ms`, { cause });
  }
}

export class TooManyWatermarkSourcesError extends WindowingError {
  constructor(readonly maxSources: number) {
    super('TOO_MANY_WATERMARK_SOURCES', `more than ${maxSources} input source tasks feed one watermark`);
  }
}

/** The windowed bolt's execute threw; the window's tuples will be failed when they expire. */
export class WindowExecuteError extends WindowingError {
  constructor(readonly componentId: string, readonly endTimestamp: number, cause: unknown) {
    super('WINDOW_EXECUTE_FAILED', `component '${componentId}': execute of the window ending at ${endTimestamp} threw: ${cause instanceof Error ? cause.message : String(cause)}; its tuples will be failed on expiry`, { cause });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
