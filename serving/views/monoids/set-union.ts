/**
 * `set`: union of sets of strings (distinct users per page, tags per item). Canonical form is a
 * sorted array without duplicates, so union is a linear merge and equal sets encode to equal
 * bytes (a JSON array). Union is idempotent too, but views do not rely on that: every delta is
 * still counted once.
 */
import { InvalidViewValueError } from '../errors.js';
import { compareStrings, type Monoid } from './monoid.js';

/** Sorted, distinct members. */
export type Members = readonly string[];

function canonical(members: Iterable<unknown>, input: unknown): Members {
  const out: string[] = [];
  for (const member of members) {
    if (typeof member !== 'string') throw new InvalidViewValueError('set', input, 'a string or an iterable of strings');
    out.push(member);
  }
  out.sort(compareStrings);
  return out.filter((member, index) => index === 0 || member !== out[index - 1]);
}

function union(left: Members, right: Members): Members {
  if (left.length === 0) return right;
  if (right.length === 0) return left;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const order = i >= left.length ? 1 : j >= right.length ? -1 : compareStrings(left[i]!, right[j]!);
    if (order <= 0) out.push(left[i++]!);
    else out.push(right[j++]!);
    if (order === 0) j += 1;
  }
  return out;
}

export const setUnionMonoid: Monoid<Members> = {
  spec: 'set',
  zero: [],
  combine: union,
  equals: (left, right) => left.length === right.length && left.every((member, index) => member === right[index]),
  from(input) {
    if (typeof input === 'string') return [input];
    if (input !== null && typeof input === 'object' && Symbol.iterator in input) return canonical(input as Iterable<unknown>, input);
    throw new InvalidViewValueError('set', input, 'a string or an iterable of strings');
  },
  encode: (value) => Buffer.from(JSON.stringify(value)),
  decode(bytes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString());
    } catch {
      throw new InvalidViewValueError('set', bytes.toString().slice(0, 100), 'a JSON array of strings');
    }
    if (!Array.isArray(parsed)) throw new InvalidViewValueError('set', parsed, 'a JSON array of strings');
    return canonical(parsed, parsed);
  },
  present: (value) => ({ kind: 'members', members: value }),
};
