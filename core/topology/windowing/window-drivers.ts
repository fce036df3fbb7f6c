/**
 * Binds a window plan to its manager: how a tuple enters (its timestamp: the clock, or the event
 * time it carries) and what a tick does (advance the clock, or recompute the watermark). The
 * executor talks to one `WindowDriver` and needs no branch per kind of window.
 */
import type { Tuple } from '../api/tuple.js';
import { CountWindowManager } from './count-window-manager.js';
import { InvalidTimestampError, WindowingError } from './errors.js';
import { EventTimeWindowManager } from './event-time-window-manager.js';
import { ProcessingTimeWindowManager } from './processing-time-window-manager.js';
import type { TimestampSource, WindowPlan } from './window-config.js';
import { NOTHING_FIRED, type WindowAdvance } from './window.js';

export type Arrival =
  | { readonly kind: 'accepted'; readonly advance: WindowAdvance<Tuple>; readonly evicted: readonly Tuple[] }
  | { readonly kind: 'late'; readonly timestampMs: number }
  | { readonly kind: 'rejected'; readonly error: WindowingError };

export interface WindowDriver {
  onTuple(tuple: Tuple): Arrival;
  onTick(): WindowAdvance<Tuple>;
  /** Tuples buffered. */
  readonly size: number;
}

export type Clock = () => number;

export function createWindowDriver(plan: WindowPlan, clock: Clock, componentId: string): WindowDriver {
  switch (plan.kind) {
    case 'count': {
      const manager = new CountWindowManager<Tuple>(plan.lengthCount, plan.slideCount);
      return {
        onTuple: (tuple) => ({ kind: 'accepted', advance: manager.add(tuple, clock()), evicted: [] }),
        onTick: () => NOTHING_FIRED,
        get size() {
          return manager.size;
        },
      };
    }
    case 'processing-time': {
      const manager = new ProcessingTimeWindowManager<Tuple>(plan.lengthMs, plan.slideMs, plan.maxBufferedTuples);
      return {
        onTuple: (tuple) => ({ kind: 'accepted', advance: NOTHING_FIRED, evicted: manager.add(tuple, clock()) }),
        onTick: () => manager.advance(clock()),
        get size() {
          return manager.size;
        },
      };
    }
    case 'event-time':
      return eventTimeDriver(plan, componentId);
  }
}

function eventTimeDriver(plan: Extract<WindowPlan, { kind: 'event-time' }>, componentId: string): WindowDriver {
  const manager = new EventTimeWindowManager<Tuple>({ lengthMs: plan.lengthMs, slideMs: plan.slideMs, lagMs: plan.lagMs, maxTuples: plan.maxBufferedTuples });
  return {
    onTuple(tuple) {
      try {
        const timestampMs = extractTimestamp(tuple, plan.timestamp, componentId);
        const result = manager.add(tuple, `${tuple.sourceComponent}:${tuple.sourceTask}`, timestampMs);
        return result.late ? { kind: 'late', timestampMs } : { kind: 'accepted', advance: NOTHING_FIRED, evicted: result.evicted };
      } catch (error) {
        if (error instanceof WindowingError) return { kind: 'rejected', error };
        throw error;
      }
    },
    onTick: () => manager.advanceWatermark(),
    get size() {
      return manager.size;
    },
  };
}

/** The tuple's event time in ms; throws InvalidTimestampError unless it is a finite number (or a Date). */
export function extractTimestamp(tuple: Tuple, source: TimestampSource, componentId: string): number {
  let value: unknown;
  try {
    value = 'field' in source ? tuple.getValueByField(source.field) : source.extractor(tuple);
  } catch (error) {
    throw new InvalidTimestampError(componentId, tuple.sourceComponent, undefined, error);
  }
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new InvalidTimestampError(componentId, tuple.sourceComponent, value);
  return ms;
}
