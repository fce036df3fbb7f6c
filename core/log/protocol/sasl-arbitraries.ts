/**
 * fast-check arbitraries for SaslHandshake and SaslAuthenticate bodies, used by the codec
 * round-trip properties (codecs.test.ts). Test-only.
 */
import fc from 'fast-check';
import { ApiKey } from './api-keys.js';

const int16 = fc.integer({ min: -32768, max: 32767 });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const name = fc.string({ maxLength: 12 });
const buffer = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));

export const saslArbitraries = {
  [ApiKey.SaslHandshake]: {
    request: fc.record({ mechanism: name }),
    response: fc.record({ errorCode: int16, mechanisms: fc.array(name, { maxLength: 3 }) }),
  },
  [ApiKey.SaslAuthenticate]: {
    request: fc.record({ authBytes: buffer }),
    response: fc.record({ errorCode: int16, errorMessage: fc.option(name, { nil: null }), authBytes: buffer, sessionLifetimeMs: int64 }),
  },
};
