/**
 * A window as a windowed bolt sees it at one firing (Storm's TupleWindow), and the result of
 * feeding a window manager: the windows that fired and the items that left every window.
 *
 * Guarantees of every manager in this folder: a fired window holds its items in timestamp (or
 * arrival) order; getNew() is the window's items that were in no earlier fired window; getExpired()
 * is what left all windows since the previous firing; an item is reported expired exactly once, and
 * only after every window that contains it has fired.
 */
import type { Tuple } from '../api/tuple.js';

export interface Window<T> {
  /** All items of the window, oldest first. */
  get(): readonly T[];
  /** Items of this window that were in no earlier fired window. */
  getNew(): readonly T[];
  /** Items that left every window since the previous firing (already acked by the executor). */
  getExpired(): readonly T[];
  /** Time windows: the window's start (inclusive). Count windows: arrival ms of its oldest item. */
  readonly startTimestamp: number;
  /** Time windows: the window's end (exclusive). Count windows: arrival ms of the firing item. */
  readonly endTimestamp: number;
}

export type TupleWindow = Window<Tuple>;

export interface WindowAdvance<T> {
  /** Windows that fired, in order of their end. */
  readonly fired: readonly Window<T>[];
  /** Items that left every window (acked by the executor once the fired windows ran). */
  readonly expired: readonly T[];
}

export function createWindow<T>(items: readonly T[], newItems: readonly T[], expired: readonly T[], startTimestamp: number, endTimestamp: number): Window<T> {
  const frozenItems = Object.freeze([...items]);
  const frozenNew = Object.freeze([...newItems]);
  const frozenExpired = Object.freeze([...expired]);
  return Object.freeze({
    get: () => frozenItems,
    getNew: () => frozenNew,
    getExpired: () => frozenExpired,
    startTimestamp,
    endTimestamp,
  });
}

export const NOTHING_FIRED: WindowAdvance<never> = Object.freeze({ fired: Object.freeze([]), expired: Object.freeze([]) });
