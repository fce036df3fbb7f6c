import { describe, expect, it } from '@jest/globals';
import { NonceGuard, parseClientFirst, ScramClientExchange, scramCredential, ScramError, ScramServerExchange } from './scram.js';

// RFC 7677 section 3: user "user", password "pencil".
const VECTOR = {
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};
const vectorCredential = () => scramCredential('SCRAM-SHA-256', 'pencil', 4096, Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'));

describe('SCRAM (RFC 5802 / RFC 7677)', () => {
  it('server side reproduces the RFC 7677 SCRAM-SHA-256 exchange', () => {
    const server = new ScramServerExchange('SCRAM-SHA-256', vectorCredential(), () => VECTOR.serverNonce);
    expect(server.first(parseClientFirst(VECTOR.clientFirst))).toBe(VECTOR.serverFirst);
    expect(server.final(VECTOR.clientFinal)).toBe(VECTOR.serverFinal);
  });

  it('client side computes the RFC 7677 proof and accepts the server signature', () => {
    const client = new ScramClientExchange('SCRAM-SHA-256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    expect(client.first()).toBe(VECTOR.clientFirst);
    expect(client.final(VECTOR.serverFirst)).toBe(VECTOR.clientFinal);
    expect(() => client.verify(VECTOR.serverFinal)).not.toThrow();
    expect(() => client.verify('v=AAAA')).toThrow(ScramError);
  });

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)('%s: our client and server agree; a wrong password is refused', (mechanism) => {
    const credential = scramCredential(mechanism, 's3cret');
    const run = (password: string) => {
      const client = new ScramClientExchange(mechanism, 'al,i=ce', password);
      const server = new ScramServerExchange(mechanism, credential);
      const serverFirst = server.first(parseClientFirst(client.first()));
      client.verify(server.final(client.final(serverFirst)));
    };
    expect(() => run('s3cret')).not.toThrow();
    expect(() => run('wrong')).toThrow(/wrong password/);
  });

  it('refuses a client-final carrying another exchange nonce (replay onto a new connection)', () => {
    const server = new ScramServerExchange('SCRAM-SHA-256', vectorCredential());
    server.first(parseClientFirst(VECTOR.clientFirst));
    expect(() => server.final(VECTOR.clientFinal)).toThrow(/nonce does not match/);
  });

  it('remembers client nonces: the second claim of one is refused', () => {
    const guard = new NonceGuard(2);
    expect(guard.claim('a')).toBe(true);
    expect(guard.claim('a')).toBe(false);
    guard.claim('b');
    guard.claim('c');
    expect(guard.claim('a')).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no GS2 header', 'n=user,r=abc'],
    ['channel binding', 'p=tls-unique,,n=user,r=abc'],
    ['missing nonce', 'n,,n=user'],
    ['bad saslname', 'n,,n=us=er,r=abc'],
    ['mandatory extension', 'n,,m=x,n=user,r=abc'],
    ['garbage', '\u0000\u0001\u0002'],
  ])('rejects a malformed client-first (%s) with ScramError', (_, message) => {
    expect(() => parseClientFirst(message)).toThrow(ScramError);
  });

  it('rejects malformed client-final messages with ScramError', () => {
    for (const message of ['', 'c=biws', 'garbage,p=', `c=biws,r=${'x'},p=AAAA`]) {
      const server = new ScramServerExchange('SCRAM-SHA-256', vectorCredential(), () => VECTOR.serverNonce);
      server.first(parseClientFirst(VECTOR.clientFirst));
      expect(() => server.final(message)).toThrow(ScramError);
    }
  });
});
