/**
 * Lazy iterable helpers the plans compose: each element flows through a chain of generators,
 * one partition at a time, never materialised unless an operation must (sort, group).
 */

export function* mapIterable<T, U>(values: Iterable<T>, fn: (value: T) => U): Generator<U> {
  for (const value of values) yield fn(value);
}

export function* flatMapIterable<T, U>(values: Iterable<T>, fn: (value: T) => Iterable<U>): Generator<U> {
  for (const value of values) yield* fn(value);
}

export function* filterIterable<T>(values: Iterable<T>, predicate: (value: T) => boolean): Generator<T> {
  for (const value of values) if (predicate(value)) yield value;
}

/** The reduction of a partition, or undefined when it is empty (so empty partitions are skipped). */
export function reduceIterable<T>(values: Iterable<T>, fn: (left: T, right: T) => T): { value: T } | undefined {
  let result: { value: T } | undefined;
  for (const value of values) result = result === undefined ? { value } : { value: fn(result.value, value) };
  return result;
}
