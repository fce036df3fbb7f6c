/**
 * The settings of a windowed bolt, their validation, and what they imply for the runtime: which
 * kind of window manager, how often ticks must arrive, and how long a tuple may wait in a window.
 *
 * Validation happens twice on purpose: each fluent call checks its own argument (so a typo throws
 * where it was written), and `checkWindowSettings` checks the whole at prepare, naming the
 * component (settings that only make sense together, and the message timeout, which is known then).
 */
import type { ResolvedConfig } from '../api/config.js';
import type { Tuple } from '../api/tuple.js';
import { InvalidWindowConfigError, WindowExceedsTimeoutError } from './errors.js';
import { DEFAULT_WATERMARK_INTERVAL_MS, MAX_LAG_MS, MAX_WATERMARK_INTERVAL_MS, MAX_WINDOW_DURATION_MS, MAX_WINDOW_TUPLES, MIN_TICK_SECS, TICKS_PER_SLIDE } from './limits.js';

/** A window length or slide in tuples. */
export interface CountLength {
  readonly count: number;
}

/** A window length or slide in milliseconds. */
export interface DurationLength {
  readonly durationMs: number;
}

export type WindowLength = CountLength | DurationLength;

export type TimestampExtractor = (tuple: Tuple) => number;

export type TimestampSource = { readonly field: string } | { readonly extractor: TimestampExtractor };

export interface WindowSettings {
  readonly length?: WindowLength;
  readonly slide?: WindowLength;
  readonly timestamp?: TimestampSource;
  readonly lagMs: number;
  readonly watermarkIntervalMs: number;
  readonly lateTupleStream?: string;
  readonly maxBufferedTuples: number;
}

export const DEFAULT_WINDOW_SETTINGS: WindowSettings = Object.freeze({
  lagMs: 0,
  watermarkIntervalMs: DEFAULT_WATERMARK_INTERVAL_MS,
  maxBufferedTuples: MAX_WINDOW_TUPLES,
});

/** Checked settings, by kind of window. */
export type WindowPlan =
  | { readonly kind: 'count'; readonly lengthCount: number; readonly slideCount: number; readonly maxBufferedTuples: number }
  | { readonly kind: 'processing-time'; readonly lengthMs: number; readonly slideMs: number; readonly maxBufferedTuples: number }
  | {
      readonly kind: 'event-time';
      readonly lengthMs: number;
      readonly slideMs: number;
      readonly timestamp: TimestampSource;
      readonly lagMs: number;
      readonly watermarkIntervalMs: number;
      readonly lateTupleStream: string | undefined;
      readonly maxBufferedTuples: number;
    };

export function isCount(length: WindowLength): length is CountLength {
  return (length as Partial<CountLength>).count !== undefined;
}

/** Checks one length or slide argument (no component known yet). */
export function checkLength(setting: string, length: WindowLength): void {
  if (typeof length !== 'object' || length === null) throw new InvalidWindowConfigError(undefined, setting, length, '{ count: n } or { durationMs: n }');
  if (isCount(length)) {
    if (!Number.isInteger(length.count) || length.count < 1 || length.count > MAX_WINDOW_TUPLES) throw new InvalidWindowConfigError(undefined, setting, length, `{ count: n } with n an integer in 1..${MAX_WINDOW_TUPLES}`);
    return;
  }
  const ms = (length as Partial<DurationLength>).durationMs;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_WINDOW_DURATION_MS) throw new InvalidWindowConfigError(undefined, setting, length, `{ durationMs: n } with n in (0, ${MAX_WINDOW_DURATION_MS}]`);
}

export function checkMs(setting: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new InvalidWindowConfigError(undefined, setting, value, `a number of ms in ${min}..${max}`);
}

/** Checks the settings as a whole and says which windows they describe. */
export function planWindows(componentId: string, settings: WindowSettings): WindowPlan {
  const { length, slide, timestamp } = settings;
  if (length === undefined || slide === undefined) throw new InvalidWindowConfigError(componentId, 'length', length, 'a window set with withWindow or withTumblingWindow');
  if (isCount(length) !== isCount(slide)) throw new InvalidWindowConfigError(componentId, 'slide', slide, 'the same unit as the length (both counts or both durations)');
  const maxBufferedTuples = settings.maxBufferedTuples;
  if (isCount(length)) {
    const slideCount = (slide as CountLength).count;
    if (timestamp !== undefined) throw new InvalidWindowConfigError(componentId, 'timestamp', 'set', 'no timestamp field or extractor with count windows (event time needs duration windows)');
    if (settings.lateTupleStream !== undefined) throw new InvalidWindowConfigError(componentId, 'lateTupleStream', settings.lateTupleStream, 'no late-tuple stream without event time (withTimestampField)');
    if (slideCount > length.count) throw new InvalidWindowConfigError(componentId, 'slide', slide, `a count no larger than the length ${length.count}`);
    if (length.count > maxBufferedTuples) throw new InvalidWindowConfigError(componentId, 'length', length, `a count no larger than the buffer bound ${maxBufferedTuples}`);
    return { kind: 'count', lengthCount: length.count, slideCount, maxBufferedTuples };
  }
  const lengthMs = length.durationMs;
  const slideMs = (slide as DurationLength).durationMs;
  if (slideMs > lengthMs) throw new InvalidWindowConfigError(componentId, 'slide', slide, `a duration no longer than the length ${lengthMs} ms`);
  if (timestamp === undefined) {
    if (settings.lateTupleStream !== undefined) throw new InvalidWindowConfigError(componentId, 'lateTupleStream', settings.lateTupleStream, 'no late-tuple stream without event time (withTimestampField)');
    return { kind: 'processing-time', lengthMs, slideMs, maxBufferedTuples };
  }
  const { lagMs, watermarkIntervalMs, lateTupleStream } = settings;
  return { kind: 'event-time', lengthMs, slideMs, timestamp, lagMs, watermarkIntervalMs, lateTupleStream, maxBufferedTuples };
}

/** Tick period the plan needs: a quarter slide for processing time, the watermark interval for event time. */
export function tickSeconds(plan: WindowPlan): number | null {
  if (plan.kind === 'count') return null;
  const periodMs = plan.kind === 'event-time' ? plan.watermarkIntervalMs : plan.slideMs / TICKS_PER_SLIDE;
  return Math.max(MIN_TICK_SECS, periodMs / 1_000);
}

/**
 * Storm refuses time windows whose length + slide reaches the message timeout: a tuple is acked
 * only when it leaves its last window, so its tree would time out and be replayed forever. With
 * event time a tuple also waits for the lag and up to one watermark interval, so those count too.
 */
export function checkAgainstTimeout(componentId: string, plan: WindowPlan, config: ResolvedConfig): void {
  if (plan.kind === 'count') {
    const pending = config['topology.max.spout.pending'];
    // A count window that needs more tuples than may be in flight would never fill: a deadlock.
    if (pending !== null && plan.lengthCount + plan.slideCount > pending) {
      throw new InvalidWindowConfigError(componentId, 'length', plan.lengthCount, `length + slide no more than 'topology.max.spout.pending' = ${pending}`);
    }
    return;
  }
  const waitMs = plan.lengthMs + plan.slideMs + (plan.kind === 'event-time' ? plan.lagMs + plan.watermarkIntervalMs : 0);
  const timeoutSecs = config['topology.message.timeout.secs'];
  if (waitMs >= timeoutSecs * 1_000) throw new WindowExceedsTimeoutError(componentId, waitMs, timeoutSecs);
}

export const LAG_RANGE_MS = [0, MAX_LAG_MS] as const;
export const WATERMARK_INTERVAL_RANGE_MS = [1, MAX_WATERMARK_INTERVAL_MS] as const;
