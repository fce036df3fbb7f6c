/**
 * Glob matching of keys for SCAN MATCH, ported from Redis's stringmatchlen() (util.c): `*`, `?`,
 * `[abc]`, `[^abc]`, `[a-z]` and `\` escapes, over bytes. Like Redis, bytes compare as signed
 * chars in ranges, a `*` that fails to match the rest stops longer matches from being tried
 * (linear, not exponential, on patterns like `a*a*a*b`), and nesting deeper than
 * MAX_GLOB_NESTING (Redis 7.2's limit) is treated as no match rather than exhausting the stack.
 */

const MAX_GLOB_NESTING = 1000;

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

/** A byte as C's (signed) char. */
const signed = (byte: number) => (byte > 127 ? byte - 256 : byte);
const lower = (byte: number) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte);

interface MatchState {
  pattern: Uint8Array;
  subject: Uint8Array;
  noCase: boolean;
  skipLongerMatches: boolean;
}

export function globMatch(pattern: Uint8Array, subject: Uint8Array, noCase = false): boolean {
  return matchFrom({ pattern, subject, noCase, skipLongerMatches: false }, 0, 0, 0);
}

/** C string indexing: past the end reads the terminating NUL. */
const at = (bytes: Uint8Array, index: number) => (index < bytes.length ? bytes[index]! : 0);

function matchFrom(state: MatchState, patternStart: number, subjectStart: number, nesting: number): boolean {
  if (nesting > MAX_GLOB_NESTING) return false;
  const { pattern, subject } = state;
  let p = patternStart;
  let s = subjectStart;
  while (p < pattern.length && s < subject.length) {
    switch (pattern[p]) {
      case STAR: {
        while (p + 1 < pattern.length && pattern[p + 1] === STAR) p += 1;
        if (p + 1 === pattern.length) return true;
        for (; s < subject.length; s += 1) {
          if (matchFrom(state, p + 1, s, nesting + 1)) return true;
          if (state.skipLongerMatches) return false;
        }
        state.skipLongerMatches = true;
        return false;
      }
      case QUESTION:
        s += 1;
        break;
      case OPEN: {
        const classEnd = matchClass(state, p + 1, subject[s]!);
        if (classEnd === undefined) return false;
        p = classEnd;
        s += 1;
        break;
      }
      default: {
        if (pattern[p] === BACKSLASH && p + 1 < pattern.length) p += 1;
        if (!sameByte(pattern[p]!, subject[s]!, state.noCase)) return false;
        s += 1;
      }
    }
    p += 1;
    if (s === subject.length) {
      while (at(pattern, p) === STAR) p += 1;
      break;
    }
  }
  return p >= pattern.length && s === subject.length;
}

/** Matches one byte against the class starting after `[`; the index of its `]` (or last byte), or undefined when it does not match. */
function matchClass(state: MatchState, start: number, byte: number): number | undefined {
  const { pattern, noCase } = state;
  let p = start;
  const negate = at(pattern, p) === CARET;
  if (negate) p += 1;
  let matched = false;
  for (;;) {
    const remaining = pattern.length - p;
    if (at(pattern, p) === BACKSLASH && remaining >= 2) {
      p += 1;
      if (pattern[p] === byte) matched = true;
    } else if (at(pattern, p) === CLOSE) {
      break;
    } else if (remaining <= 0) {
      p -= 1;
      break;
    } else if (remaining >= 3 && pattern[p + 1] === DASH) {
      matched = inRange(pattern[p]!, pattern[p + 2]!, byte, noCase) || matched;
      p += 2;
    } else if (sameByte(pattern[p]!, byte, noCase)) {
      matched = true;
    }
    p += 1;
  }
  return matched !== negate ? p : undefined;
}

function inRange(from: number, to: number, byte: number, noCase: boolean): boolean {
  let start = signed(from);
  let end = signed(to);
  let value = signed(byte);
  if (start > end) [start, end] = [end, start];
  if (noCase) {
    start = lower(start);
    end = lower(end);
    value = lower(value);
  }
  return value >= start && value <= end;
}

function sameByte(a: number, b: number, noCase: boolean): boolean {
  return noCase ? lower(a) === lower(b) : a === b;
}
