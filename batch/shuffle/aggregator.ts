/**
 * How values of one key are combined (Spark's Aggregator): used by reduceByKey, aggregateByKey,
 * combineByKey, foldByKey and groupByKey, on the map side (before writing shuffle files, so only
 * one combined value per key and map task crosses the shuffle) and on the reduce side.
 */
export interface Aggregator<V, C> {
  createCombiner(value: V): C;
  mergeValue(combiner: C, value: V): C;
  mergeCombiners(left: C, right: C): C;
}

/** Total order on keys, for sortByKey and sorted shuffle reads. */
export type KeyOrdering<K> = (left: K, right: K) => number;
