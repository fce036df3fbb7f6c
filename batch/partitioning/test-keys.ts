/** fast-check generators of batch keys: every kind the default ordering and the key hash accept. */
import fc from 'fast-check';

const scalar = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 1, -1),
  fc.integer({ min: -5, max: 5 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('\uffff', '\ud800', '\u{10000}', '\ue000', 'a', ''),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 4 }),
);

/** Keys nested at most three levels deep: scalars, arrays and plain objects. */
export const keyArbitrary: fc.Arbitrary<unknown> = fc.letrec<{ key: unknown }>((tie) => ({
  key: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'key' },
    scalar,
    fc.array(tie('key'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('key'), { maxKeys: 3 }),
  ),
})).key;

/** A structural copy made in this realm (structuredClone's objects come from Node's realm, whose
 * Object.prototype differs from the one Jest's VM context gives the module under test). */
export function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, deepCopy(field)]));
  return value;
}
