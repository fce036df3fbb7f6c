/**
 * The key hash of the fields and partial-key groupings.
 *
 * hash(key, seed) = fmix32(FNV-1a-32 over UTF-8(canonical(key)), starting from basis XOR seed)
 *
 * canonical(key) is a type-tagged, length-prefixed text encoding, so that equal keys encode to
 * equal bytes on every worker, Node version and run (never `JSON.stringify` or object key order,
 * nor `Object.prototype.toString`), and distinct keys never collide by concatenation ('ab','c' vs
 * 'a','bc'). FNV-1a is specified byte by byte and needs no dependency; its low bits mix poorly,
 * and the task is picked with `hash % tasks`, so MurmurHash3's 32-bit finaliser (fmix32) is
 * applied on top. A different hash here would re-route every key of a running topology, so this
 * function is part of the wire contract between workers: change it only with a version bump.
 */
import { UnencodableKeyError, type GroupingLocation } from './errors.js';
import { MAX_KEY_ENCODING_DEPTH } from './limits.js';

const FNV_OFFSET_BASIS = 0x811c_9dc5;
const FNV_PRIME = 0x0100_0193;

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

function encodeObject(value: object, depth: number, location: GroupingLocation): string {
  if (Array.isArray(value)) {
    return `[${value.length}:${value.map((item: unknown) => encodeValue(item, depth + 1, location)).join('')}]`;
  }
  if (value instanceof Uint8Array) return `x${value.length}:${hex(value)}`;
  if (value instanceof Date) return `D${String(value.getTime())};`;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new UnencodableKeyError(location, `a key value of class ${value.constructor.name} has no canonical encoding; use scalars, arrays, Buffers, Dates or plain objects`);
  }
  const entries = Object.keys(value).sort().map((name) => {
    const field: unknown = (value as Record<string, unknown>)[name];
    return encodeValue(name, depth + 1, location) + encodeValue(field, depth + 1, location);
  });
  return `{${entries.length}:${entries.join('')}}`;
}

function encodeValue(value: unknown, depth: number, location: GroupingLocation): string {
  if (depth > MAX_KEY_ENCODING_DEPTH) {
    throw new UnencodableKeyError(location, `a key value nests deeper than ${MAX_KEY_ENCODING_DEPTH} levels (or is cyclic)`);
  }
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    // Number::toString is exactly specified by ECMAScript; -0 folds into 0 because -0 === 0.
    case 'number':
      return `d${Object.is(value, -0) ? '0' : String(value)};`;
    case 'bigint':
      return `i${value.toString()};`;
    case 'string':
      return `s${value.length}:${value}`;
    case 'object':
      return value === null ? 'n' : encodeObject(value, depth, location);
    default:
      throw new UnencodableKeyError(location, `a key value of type ${typeof value} has no canonical encoding`);
  }
}

/** The canonical text encoding of a key (the selected field values, in selection order). */
export function canonicalKey(values: readonly unknown[], location: GroupingLocation): string {
  // The common key, one string field, without the generic walk (same encoding).
  if (values.length === 1) {
    const value = values[0];
    if (typeof value === 'string') return `[1:s${value.length}:${value}]`;
  }
  return encodeValue(values, 0, location);
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(hash: number): number {
  let mixed = hash ^ (hash >>> 16);
  mixed = Math.imul(mixed, 0x85eb_ca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2_ae35);
  mixed ^= mixed >>> 16;
  return mixed >>> 0;
}

/** Unsigned 32-bit hash of a canonical key (see the module header). The UTF-8 bytes are
 * produced inline (as TextEncoder would, lone surrogates as U+FFFD) so no buffer is allocated:
 * this runs once per tuple of every fields-grouped stream. */
export function hashCanonicalKey(key: string, seed = 0): number {
  let hash = (FNV_OFFSET_BASIS ^ seed) >>> 0;
  const length = key.length;
  for (let index = 0; index < length; index++) {
    let code = key.charCodeAt(index);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = index + 1 < length ? key.charCodeAt(index + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        index++;
      } else {
        code = 0xfffd;
      }
    }
    if (code < 0x800) {
      hash = Math.imul(hash ^ (0xc0 | (code >> 6)), FNV_PRIME);
    } else if (code < 0x10000) {
      hash = Math.imul(hash ^ (0xe0 | (code >> 12)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), FNV_PRIME);
    } else {
      hash = Math.imul(hash ^ (0xf0 | (code >> 18)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | ((code >> 12) & 0x3f)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), FNV_PRIME);
    }
    hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), FNV_PRIME);
  }
  return fmix32(hash >>> 0);
}

/** Unsigned 32-bit hash of a key's values. */
export function hashKey(values: readonly unknown[], location: GroupingLocation, seed = 0): number {
  return hashCanonicalKey(canonicalKey(values, location), seed);
}
