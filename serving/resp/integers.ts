/**
 * Redis's number parsing, ported so that Barista accepts and refuses exactly the strings Redis
 * does: string2ll() (util.c) for lengths, counts and integer arguments — no sign but '-', no
 * leading zeros, no spaces, at most 20 characters, within int64 — and strtoul() as SCAN's cursor
 * parser uses it. Pure functions over bytes.
 */
import { LONG_STR_SIZE } from './limits.js';

export const INT64_MAX = (1n << 63n) - 1n;
export const INT64_MIN = -(1n << 63n);
export const UINT64_MAX = (1n << 64n) - 1n;

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
/** Digits a double holds exactly, with room: shorter numbers are summed as plain numbers. */
const EXACT_NUMBER_DIGITS = 15;

/** Where the digits start, or -1 when the bytes are not a string2ll() integer (range unchecked). */
function digitsStart(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length >= LONG_STR_SIZE) return -1;
  if (length === 1 && bytes[start] === ZERO) return start;
  const first = bytes[start] === MINUS ? start + 1 : start;
  if (first === end || bytes[first]! <= ZERO || bytes[first]! > NINE) return -1;
  for (let i = first + 1; i < end; i += 1) if (bytes[i]! < ZERO || bytes[i]! > NINE) return -1;
  return first;
}

/** string2ll(): the int64 the bytes spell, or undefined. */
export function string2ll(bytes: Uint8Array, start = 0, end = bytes.length): bigint | undefined {
  const first = digitsStart(bytes, start, end);
  if (first < 0) return undefined;
  const negative = first > start;
  const magnitude = BigInt(Buffer.from(bytes.buffer, bytes.byteOffset + first, end - first).toString('latin1'));
  const value = negative ? -magnitude : magnitude;
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}

/**
 * string2ll() for the parser's lengths and counts, as a plain number: exact up to 15 digits;
 * valid longer integers come back as ±Infinity (larger than any limit), invalid ones as undefined.
 */
export function string2llNumber(bytes: Uint8Array, start: number, end: number): number | undefined {
  const first = digitsStart(bytes, start, end);
  if (first < 0) return undefined;
  const negative = first > start;
  if (end - first > EXACT_NUMBER_DIGITS) {
    if (string2ll(bytes, start, end) === undefined) return undefined;
    return negative ? -Infinity : Infinity;
  }
  let value = 0;
  for (let i = first; i < end; i += 1) value = value * 10 + (bytes[i]! - ZERO);
  return negative ? -value : value;
}

/** The bytes before the first NUL: what C's string functions see of a Redis argument. */
export function cString(bytes: Buffer): Buffer {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

function isCSpace(byte: number | undefined): boolean {
  return byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
}

/**
 * SCAN's cursor as Redis reads it (db.c parseScanCursorOrReply): strtoul() base 10, refusing a
 * leading space, trailing bytes and overflow. Like strtoul, it accepts a sign ("-1" wraps to
 * 2^64-1) and the empty string (0). Undefined means "invalid cursor".
 */
export function parseScanCursor(argument: Buffer): bigint | undefined {
  const text = cString(argument);
  if (text.length === 0) return 0n;
  if (isCSpace(text[0])) return undefined;
  const signed = text[0] === MINUS || text[0] === PLUS ? 1 : 0;
  if (signed === text.length) return undefined;
  for (let i = signed; i < text.length; i += 1) if (text[i]! < ZERO || text[i]! > NINE) return undefined;
  const magnitude = BigInt(text.toString('latin1', signed));
  if (magnitude > UINT64_MAX) return undefined;
  return text[0] === MINUS ? (UINT64_MAX + 1n - magnitude) % (UINT64_MAX + 1n) : magnitude;
}
