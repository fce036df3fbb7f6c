/**
 * `max` and `min`: the largest / smallest integer seen. The identity is "nothing seen yet",
 * represented as null (encoded as zero bytes), because no integer is below every bigint; an
 * empty max is shown as a null reply and is not ranked.
 */
import { InvalidViewValueError } from '../errors.js';
import { integerInput, parseDecimal, type Monoid } from './monoid.js';

/** An extremum: null until a value is seen. */
export type Extremum = bigint | null;

function extremumMonoid(spec: 'max' | 'min'): Monoid<Extremum> {
  const pick = spec === 'max' ? (a: bigint, b: bigint) => (a >= b ? a : b) : (a: bigint, b: bigint) => (a <= b ? a : b);
  return {
    spec,
    zero: null,
    combine: (left, right) => (left === null ? right : right === null ? left : pick(left, right)),
    equals: (left, right) => left === right,
    from(input) {
      if (input === null) return null;
      const value = integerInput(input);
      if (value === undefined) throw new InvalidViewValueError(spec, input, 'a bigint, a safe integer, or null');
      return value;
    },
    encode: (value) => (value === null ? Buffer.alloc(0) : Buffer.from(value.toString(), 'latin1')),
    decode(bytes) {
      if (bytes.length === 0) return null;
      const value = parseDecimal(bytes.toString('latin1'));
      if (value === undefined) throw new InvalidViewValueError(spec, bytes.toString('latin1'), 'a decimal integer or nothing');
      return value;
    },
    present: (value) => (value === null ? { kind: 'none' } : { kind: 'integer', value }),
    rank: (value) => value ?? undefined,
  };
}

export const maxMonoid = extremumMonoid('max');
export const minMonoid = extremumMonoid('min');
