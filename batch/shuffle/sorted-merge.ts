/**
 * K-way merge of sorted sources with a binary heap (the merge step of an external sort), and the
 * combining of adjacent equal items that follows it when records are aggregated. Pure: no I/O.
 *
 * Guarantees: given sources each sorted by `compare`, `mergeSorted` yields every item once, in
 * `compare` order, items that compare equal in source order (stable); it holds one item per source
 * and closes every source (`return()`) however the iteration ends.
 */

interface HeapSlot<T> {
  item: T;
  readonly source: number;
}

export function* mergeSorted<T>(sources: readonly Iterator<T>[], compare: (left: T, right: T) => number): Generator<T> {
  const before = (left: HeapSlot<T>, right: HeapSlot<T>): boolean => {
    const order = compare(left.item, right.item);
    return order < 0 || (order === 0 && left.source < right.source);
  };
  const heap: HeapSlot<T>[] = [];
  try {
    sources.forEach((source, index) => {
      const first = source.next();
      if (first.done !== true) pushSlot(heap, { item: first.value, source: index }, before);
    });
    while (heap.length > 0) {
      const top = heap[0] as HeapSlot<T>;
      yield top.item;
      const next = (sources[top.source] as Iterator<T>).next();
      if (next.done === true) {
        const last = heap.pop() as HeapSlot<T>;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(heap, before);
        }
      } else {
        top.item = next.value;
        siftDown(heap, before);
      }
    }
  } finally {
    for (const source of sources) source.return?.();
  }
}

function pushSlot<T>(heap: HeapSlot<T>[], slot: HeapSlot<T>, before: (a: HeapSlot<T>, b: HeapSlot<T>) => boolean): void {
  heap.push(slot);
  let index = heap.length - 1;
  while (index > 0) {
    const parentIndex = (index - 1) >> 1;
    const parent = heap[parentIndex] as HeapSlot<T>;
    if (!before(slot, parent)) break;
    heap[index] = parent;
    index = parentIndex;
  }
  heap[index] = slot;
}

function siftDown<T>(heap: HeapSlot<T>[], before: (a: HeapSlot<T>, b: HeapSlot<T>) => boolean): void {
  const slot = heap[0] as HeapSlot<T>;
  let index = 0;
  for (;;) {
    const leftIndex = 2 * index + 1;
    if (leftIndex >= heap.length) break;
    const rightIndex = leftIndex + 1;
    const left = heap[leftIndex] as HeapSlot<T>;
    const right = heap[rightIndex];
    const childIndex = right !== undefined && before(right, left) ? rightIndex : leftIndex;
    const child = heap[childIndex] as HeapSlot<T>;
    if (!before(child, slot)) break;
    heap[index] = child;
    index = childIndex;
  }
  heap[index] = slot;
}

/** Folds runs of adjacent items that are `equal` into one with `combine`, left to right. */
export function* combineAdjacent<T>(items: Iterable<T>, equal: (left: T, right: T) => boolean, combine: (left: T, right: T) => T): Generator<T> {
  let current: T | undefined;
  let hasCurrent = false;
  for (const item of items) {
    if (hasCurrent && equal(current as T, item)) {
      current = combine(current as T, item);
    } else {
      if (hasCurrent) yield current as T;
      current = item;
      hasCurrent = true;
    }
  }
  if (hasCurrent) yield current as T;
}
