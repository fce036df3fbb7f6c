import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ErrorCode } from '../protocol/index.js';
import { userCredentials } from './config.js';
import { SaslSession } from './sasl-session.js';
import { NonceGuard, ScramClientExchange } from './scram.js';

const credentials = userCredentials({ alice: { plain: 'alice-secret', scram: { sha256: 'alice-secret', sha512: 'alice-secret' } } });
const plainToken = (user: string, password: string) => Buffer.from(`\u0000${user}\u0000${password}`);

function session(nonces = new NonceGuard()): SaslSession {
  return new SaslSession(credentials, nonces);
}

describe('SASL session', () => {
  it('PLAIN: the right password authenticates, the principal is the user', () => {
    const s = session();
    expect(s.handshake({ mechanism: 'PLAIN' })).toMatchObject({ response: { errorCode: 0 }, close: false });
    expect(s.authenticate({ authBytes: plainToken('alice', 'alice-secret') })).toMatchObject({ response: { errorCode: 0 }, close: false });
    expect(s.principal).toBe('alice');
  });

  it.each([
    ['wrong password', plainToken('alice', 'nope')],
    ['unknown user', plainToken('mallory', 'alice-secret')],
    ['no separators', Buffer.from('alice')],
    ['other authzid', Buffer.from('bob\u0000alice\u0000alice-secret')],
  ])('PLAIN: %s → SASL_AUTHENTICATION_FAILED and close', (_, token) => {
    const s = session();
    s.handshake({ mechanism: 'PLAIN' });
    expect(s.authenticate({ authBytes: token })).toMatchObject({ response: { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED }, close: true });
    expect(s.principal).toBeUndefined();
  });

  it('an unknown mechanism → UNSUPPORTED_SASL_MECHANISM with the enabled list', () => {
    expect(session().handshake({ mechanism: 'GSSAPI' })).toEqual({ response: { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] }, close: true });
  });

  it('SaslAuthenticate before SaslHandshake, or a second handshake → ILLEGAL_SASL_STATE', () => {
    expect(session().authenticate({ authBytes: plainToken('alice', 'alice-secret') })).toMatchObject({ response: { errorCode: ErrorCode.ILLEGAL_SASL_STATE }, close: true });
    const s = session();
    s.handshake({ mechanism: 'PLAIN' });
    expect(s.handshake({ mechanism: 'PLAIN' })).toMatchObject({ response: { errorCode: ErrorCode.ILLEGAL_SASL_STATE }, close: true });
  });

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)('%s: full exchange, and the wrong password is refused', (mechanism) => {
    const run = (password: string) => {
      const s = session();
      s.handshake({ mechanism });
      const client = new ScramClientExchange(mechanism, 'alice', password);
      const first = s.authenticate({ authBytes: Buffer.from(client.first()) });
      expect(first.response.errorCode).toBe(0);
      return { s, final: s.authenticate({ authBytes: Buffer.from(client.final(first.response.authBytes.toString())) }), client };
    };
    const good = run('alice-secret');
    expect(good.final.response.errorCode).toBe(0);
    good.client.verify(good.final.response.authBytes.toString());
    expect(good.s.principal).toBe('alice');
    expect(run('wrong').final).toMatchObject({ response: { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED }, close: true });
  });

  it('a replayed SCRAM client-first (same nonce) is refused on another connection', () => {
    const nonces = new NonceGuard();
    const clientFirst = Buffer.from(new ScramClientExchange('SCRAM-SHA-256', 'alice', 'alice-secret', 'fixed-nonce').first());
    const first = session(nonces);
    first.handshake({ mechanism: 'SCRAM-SHA-256' });
    expect(first.authenticate({ authBytes: clientFirst }).response.errorCode).toBe(0);
    const replay = session(nonces);
    replay.handshake({ mechanism: 'SCRAM-SHA-256' });
    expect(replay.authenticate({ authBytes: clientFirst })).toMatchObject({ response: { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED }, close: true });
  });

  it('random tokens never throw and never authenticate', () => {
    fc.assert(
      fc.property(fc.constantFrom('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'), fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 3 }), (mechanism, tokens) => {
        const s = session();
        s.handshake({ mechanism });
        for (const token of tokens) s.authenticate({ authBytes: Buffer.from(token) });
        expect(s.principal).toBeUndefined();
      }),
    );
  });
});
