/**
 * One copy of a component object per task, as Storm gives every task its own deserialised copy of
 * the spout or bolt the user registered. The copy shares the prototype (methods); own properties
 * are copied by kind:
 * - primitives and functions: as they are;
 * - plain data (plain objects, arrays, Map, Set, Date, typed arrays): deep-copied, so one task's
 *   counts never leak into another's;
 * - instances of any other class (a client, a shared result store for tests): shared by
 *   reference, since they usually wrap a connection or are meant to be shared.
 * Per-task state is still best created in open/prepare, as in Storm.
 */

function isPlainData(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (
    prototype === Object.prototype ||
    prototype === null ||
    Array.isArray(value) ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof Date ||
    ArrayBuffer.isView(value)
  );
}

function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !isPlainData(value)) return value;
  try {
    return structuredClone(value);
  } catch {
    return value; // holds functions or class instances: share it rather than fail the submit
  }
}

export function copyComponent<T extends object>(template: T): T {
  const copy = Object.create(Object.getPrototypeOf(template) as object | null) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(template)) {
    const descriptor = Object.getOwnPropertyDescriptor(template, key);
    if (descriptor === undefined) continue;
    if ('value' in descriptor) descriptor.value = copyValue(descriptor.value);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy as T;
}
