/**
 * Keys compared by value. JavaScript Maps compare objects by identity, but two shuffled records
 * whose keys are `[1, 'a']` and a freshly decoded `[1, 'a']` must combine. `canonicalKey` encodes a
 * key as a string that is equal for value-equal keys: object properties, Map entries and Set
 * elements are sorted, -0 is 0, every part is self-delimiting (so distinct keys never encode alike).
 * Class instances encode as their own enumerable properties, as structured clone would ship them.
 * The string's code-unit order is also a total order on keys, used to sort spilled runs for
 * external merging when no key ordering is given. Keys must be acyclic.
 *
 * `KeyedMap` stores primitives under themselves (fast path: no encoding) and objects under their
 * canonical string, in two Maps so a string key never collides with an object's encoding.
 */
import { RecordNotSerializableError, ShuffleInvariantError } from './errors.js';

export function canonicalKey(key: unknown): string {
  return encode(key, 'key');
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
      return `n${Object.is(value, -0) ? '0' : String(value)};`;
    case 'bigint':
      return `b${value.toString()};`;
    case 'boolean':
      return value ? 'T' : 'F';
    case 'undefined':
      return 'U';
    case 'object':
      return value === null ? 'N' : encodeObject(value, path);
    default:
      throw new RecordNotSerializableError(typeof value, path);
  }
}

function encodeObject(value: object, path: string): string {
  if (Array.isArray(value)) {
    let encoded = '[';
    for (let index = 0; index < value.length; index += 1) encoded += encode(value[index], `${path}[${index}]`);
    return `${encoded}]`;
  }
  if (value instanceof Date) return `D${value.getTime()};`;
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return `X${value.constructor.name}:${bytes.toString('base64')};`;
  }
  if (value instanceof ArrayBuffer) return `XArrayBuffer:${Buffer.from(value).toString('base64')};`;
  if (value instanceof RegExp) return `R${encode(value.source, path)}${encode(value.flags, path)}`;
  if (value instanceof Map) {
    const entries = [...value].map(([key, entryValue]) => encode(key, `${path}.<map key>`) + encode(entryValue, `${path}.get(…)`));
    return `M${entries.sort().join('')}}`;
  }
  if (value instanceof Set) {
    const elements = [...value].map((element) => encode(element, `${path}.<set element>`));
    return `S${elements.sort().join('')}}`;
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
    throw new RecordNotSerializableError(value.constructor.name, path);
  }
  const record = value as Record<string, unknown>;
  let encoded = '{';
  for (const property of Object.keys(record).sort()) encoded += encode(property, path) + encode(record[property], `${path}.${property}`);
  return `${encoded}}`;
}

export function isPrimitiveKey(key: unknown): boolean {
  return (typeof key !== 'object' || key === null) && typeof key !== 'function';
}

/** A Map whose keys are compared by value (see the module comment). Lookups and inserts go in
 * pairs: `lookup(key)` then, if absent, `insertAtLookup(entry)`, so an object key is encoded once. */
export class KeyedMap<K, E> {
  private readonly primitives = new Map<unknown, E>();
  private readonly objects = new Map<string, E>();
  private lookedUpMap: Map<unknown, E> | undefined = undefined;
  private lookedUpKey: unknown = undefined;

  get size(): number {
    return this.primitives.size + this.objects.size;
  }

  lookup(key: K): E | undefined {
    if (isPrimitiveKey(key)) {
      this.lookedUpMap = this.primitives;
      this.lookedUpKey = key;
    } else {
      this.lookedUpMap = this.objects as Map<unknown, E>;
      this.lookedUpKey = canonicalKey(key);
    }
    return this.lookedUpMap.get(this.lookedUpKey);
  }

  /** Stores `entry` under the key of the last `lookup`. */
  insertAtLookup(entry: E): void {
    if (this.lookedUpMap === undefined) throw new ShuffleInvariantError('KeyedMap.insertAtLookup follows a lookup');
    this.lookedUpMap.set(this.lookedUpKey, entry);
    this.lookedUpMap = undefined;
  }

  *values(): Generator<E> {
    yield* this.primitives.values();
    yield* this.objects.values();
  }

  clear(): void {
    this.primitives.clear();
    this.objects.clear();
    this.lookedUpMap = undefined;
  }
}
