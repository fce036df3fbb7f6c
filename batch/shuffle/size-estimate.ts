/**
 * Cheap estimate of the heap bytes a value occupies, used to decide when buffered shuffle records
 * must spill. Primitives and strings are costed exactly enough (strings as two bytes per code unit,
 * the worst case of V8's representations, so the estimate errs on the side of spilling early);
 * arrays, Maps, Sets and objects are costed from a sample of at most SIZE_SAMPLE_ELEMENTS elements,
 * extrapolated, and descended to SIZE_ESTIMATE_MAX_DEPTH levels — so one estimate costs O(1) however
 * large the value, which lets callers re-estimate growing combiners often.
 */
import { SIZE_ESTIMATE_MAX_DEPTH, SIZE_SAMPLE_ELEMENTS } from './limits.js';

const POINTER_BYTES = 8;
const OBJECT_HEADER_BYTES = 24;
const STRING_HEADER_BYTES = 16;
const HEAP_NUMBER_BYTES = 16;
/** Cost of a value below the depth limit: an object header and a few fields. */
const OPAQUE_OBJECT_BYTES = 64;

export function estimateSizeBytes(value: unknown): number {
  return estimate(value, 0);
}

function estimate(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return STRING_HEADER_BYTES + 2 * value.length;
    case 'number':
    case 'boolean':
    case 'undefined':
      return HEAP_NUMBER_BYTES;
    case 'bigint':
      return HEAP_NUMBER_BYTES + Math.ceil(value.toString(16).length / 16) * 8;
    case 'object':
      if (value === null) return POINTER_BYTES;
      return depth >= SIZE_ESTIMATE_MAX_DEPTH ? OPAQUE_OBJECT_BYTES : estimateObject(value, depth + 1);
    default:
      return OPAQUE_OBJECT_BYTES;
  }
}

function estimateObject(value: object, depth: number): number {
  if (Array.isArray(value)) return OBJECT_HEADER_BYTES + POINTER_BYTES * value.length + sampledTotal(value, value.length, (element) => estimate(element, depth));
  if (ArrayBuffer.isView(value)) return OBJECT_HEADER_BYTES * 3 + value.byteLength;
  if (value instanceof ArrayBuffer) return OBJECT_HEADER_BYTES + value.byteLength;
  if (value instanceof Date) return OBJECT_HEADER_BYTES + HEAP_NUMBER_BYTES;
  if (value instanceof Map) {
    const entryBytes = ([key, entryValue]: [unknown, unknown]): number => estimate(key, depth) + estimate(entryValue, depth);
    return OBJECT_HEADER_BYTES + 3 * POINTER_BYTES * value.size + sampledTotal(value, value.size, entryBytes);
  }
  if (value instanceof Set) {
    return OBJECT_HEADER_BYTES + 2 * POINTER_BYTES * value.size + sampledTotal(value, value.size, (element) => estimate(element, depth));
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const propertyBytes = (key: string): number => estimate(key, depth) + estimate(record[key], depth);
  return OBJECT_HEADER_BYTES + 2 * POINTER_BYTES * keys.length + sampledTotal(keys, keys.length, propertyBytes);
}

/** Estimated bytes of `count` elements, from the first SIZE_SAMPLE_ELEMENTS of `elements`
 * extrapolated by their average. */
function sampledTotal<T>(elements: Iterable<T>, count: number, elementBytes: (element: T) => number): number {
  if (count === 0) return 0;
  let sampled = 0;
  let sampledBytes = 0;
  for (const element of elements) {
    sampledBytes += elementBytes(element);
    sampled += 1;
    if (sampled >= SIZE_SAMPLE_ELEMENTS) break;
  }
  return sampled >= count ? sampledBytes : Math.ceil((sampledBytes / sampled) * count);
}
