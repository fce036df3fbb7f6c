/**
 * `sum`: integer addition, exact at any size (bigint). Zero is 0; values encode as decimal ASCII,
 * so a batch value read with plain GET is readable. Counts (word count, page views) are sums of
 * deltas of 1; negative deltas are allowed.
 */
import { InvalidViewValueError } from '../errors.js';
import { integerInput, parseDecimal, type Monoid } from './monoid.js';

export const sumMonoid: Monoid<bigint> = {
  spec: 'sum',
  zero: 0n,
  combine: (left, right) => left + right,
  equals: (left, right) => left === right,
  from(input) {
    const value = integerInput(input);
    if (value === undefined) throw new InvalidViewValueError('sum', input, 'a bigint or a safe integer');
    return value;
  },
  encode: (value) => Buffer.from(value.toString(), 'latin1'),
  decode(bytes) {
    const value = parseDecimal(bytes.toString('latin1'));
    if (value === undefined) throw new InvalidViewValueError('sum', bytes.toString('latin1'), 'a decimal integer');
    return value;
  },
  present: (value) => ({ kind: 'integer', value }),
  rank: (value) => value,
};
