/**
 * The peer handshake as a specification: the pure exchange (right secret, wrong secret on either
 * side, replayed and reflected proofs, malformed frames), then the same over real sockets — a
 * FrameServer guarded by PeerAuthGuard and a FrameClient wrapped in AuthenticatedFrameClient —
 * where nothing an unauthenticated connection sends reaches the service, and a silent connection
 * is closed once the handshake time runs out.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { RawConnection } from '../../test/fuzz/raw-connection.js';
import { framed } from '../../test/fuzz/mutate.js';
import { FrameClient } from './frame-client.js';
import { FrameServer } from './frame-server.js';
import { PeerAuthClientSide, PeerAuthError, PeerAuthServerSide, PeerSecret, PEER_AUTH_NONCE_BYTES } from './peer-auth.js';
import { AuthenticatedFrameClient } from './peer-auth-client.js';
import { PeerAuthGuard } from './peer-auth-server.js';

const secret = PeerSecret.fromBytes(Buffer.from('the cluster secret, 32 bytes....'));
const otherSecret = PeerSecret.fromBytes(Buffer.from('another cluster secret, 32 bytes'));
const nonce = (fill: number) => Buffer.alloc(PEER_AUTH_NONCE_BYTES, fill);
const silent = pino({ level: 'silent' });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof PeerAuthError ? error.code : `not a PeerAuthError: ${String(error)}`;
  }
}

describe('peer handshake (pure)', () => {
  it('authenticates both sides when they share the secret', () => {
    const client = new PeerAuthClientSide(secret, 'coord server 1', nonce(1));
    const server = new PeerAuthServerSide(secret, 'coord server 2', nonce(2));
    const { proof, serverIdentity } = client.answerChallenge(server.answerHello(client.hello()));
    expect(serverIdentity).toBe('coord server 2');
    expect(server.checkProof(proof)).toBe('coord server 1');
  });

  it('rejects a client that does not know the secret', () => {
    const client = new PeerAuthClientSide(otherSecret, 'intruder', nonce(1));
    const server = new PeerAuthServerSide(secret, 'coord server 2', nonce(2));
    const challenge = server.answerHello(client.hello());
    // The intruder cannot check the server's proof either; it sends a proof made with its own secret.
    expect(codeOf(() => client.answerChallenge(challenge))).toBe('PEER_AUTH_REJECTED');
    const forged = Buffer.concat([Buffer.alloc(4), Buffer.from('BPA1'), Buffer.from([3]), otherSecret.proof('client', nonce(1), challenge.subarray(9, 9 + PEER_AUTH_NONCE_BYTES), 'intruder', 'coord server 2')]);
    expect(codeOf(() => server.checkProof(forged))).toBe('PEER_AUTH_REJECTED');
  });

  it('refuses to talk to a server that does not know the secret', () => {
    const client = new PeerAuthClientSide(secret, 'coord server 1', nonce(1));
    const impostor = new PeerAuthServerSide(otherSecret, 'coord server 2', nonce(2));
    expect(codeOf(() => client.answerChallenge(impostor.answerHello(client.hello())))).toBe('PEER_AUTH_REJECTED');
  });

  it('rejects a proof replayed from an earlier connection (the server nonce differs)', () => {
    const client = new PeerAuthClientSide(secret, 'coord server 1', nonce(1));
    const first = new PeerAuthServerSide(secret, 'coord server 2', nonce(2));
    const { proof } = client.answerChallenge(first.answerHello(client.hello()));
    expect(first.checkProof(proof)).toBe('coord server 1');
    const second = new PeerAuthServerSide(secret, 'coord server 2', nonce(3));
    second.answerHello(client.hello());
    expect(codeOf(() => second.checkProof(proof))).toBe('PEER_AUTH_REJECTED');
  });

  it('rejects the server\'s own proof reflected back as a client proof', () => {
    const server = new PeerAuthServerSide(secret, 'coord server 2', nonce(2));
    const hello = new PeerAuthClientSide(secret, 'coord server 2', nonce(1)).hello();
    const challenge = server.answerHello(hello);
    const serverProof = challenge.subarray(9 + PEER_AUTH_NONCE_BYTES, 9 + 2 * PEER_AUTH_NONCE_BYTES);
    const reflected = Buffer.concat([Buffer.alloc(4), Buffer.from('BPA1'), Buffer.from([3]), serverProof]);
    expect(codeOf(() => server.checkProof(reflected))).toBe('PEER_AUTH_REJECTED');
  });

  it('refuses truncated, garbage and out-of-order handshake frames', () => {
    const hello = new PeerAuthClientSide(secret, 'coord server 1', nonce(1)).hello();
    expect(codeOf(() => new PeerAuthServerSide(secret, 's').answerHello(hello.subarray(0, 20)))).toBe('PEER_AUTH_MALFORMED');
    expect(codeOf(() => new PeerAuthServerSide(secret, 's').answerHello(Buffer.from('0000garbage that is not a handshake')))).toBe('PEER_AUTH_MALFORMED');
    expect(codeOf(() => new PeerAuthServerSide(secret, 's').answerHello(Buffer.alloc(3)))).toBe('PEER_AUTH_MALFORMED');
    expect(codeOf(() => new PeerAuthServerSide(secret, 's').checkProof(hello))).toBe('PEER_AUTH_MALFORMED');
    const server = new PeerAuthServerSide(secret, 's');
    server.answerHello(hello);
    expect(codeOf(() => server.answerHello(hello))).toBe('PEER_AUTH_MALFORMED');
    expect(codeOf(() => server.checkProof(hello))).toBe('PEER_AUTH_MALFORMED');
  });

  it('refuses a secret too short to resist guessing', () => {
    expect(codeOf(() => PeerSecret.fromBytes(Buffer.from('short')))).toBe('PEER_SECRET_INVALID');
  });
});

describe('peer handshake over sockets', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** An echo service behind the guard; `seen` lists every frame that reached it. */
  async function guardedEcho(serverSecret: PeerSecret | undefined, timeoutMs = 5_000) {
    const seen: Buffer[] = [];
    const guard = new PeerAuthGuard((frame) => (seen.push(frame), frame), { secret: serverSecret, identity: 'echo', logger: silent, timeoutMs });
    const server = new FrameServer(guard.handler, { logger: silent });
    guard.attach(server);
    const port = (await server.listen()).port;
    cleanups.push(() => server.close());
    return { seen, port, guard };
  }

  function client(port: number, clientSecret: PeerSecret | undefined) {
    const wrapped = new AuthenticatedFrameClient(new FrameClient({ port, backoff: { initialMs: 20, maxMs: 100 } }), { secret: clientSecret, identity: 'caller', logger: silent, requestTimeoutMs: 1_500 });
    cleanups.push(() => wrapped.close());
    return wrapped;
  }

  const request = (text: string) => Buffer.concat([Buffer.alloc(4), Buffer.from(text)]);

  it('carries requests, in order, once both sides proved the secret', async () => {
    const { seen, port } = await guardedEcho(secret);
    const caller = client(port, secret);
    const answers = await Promise.all(['one', 'two', 'three'].map((text) => caller.request(request(text))));
    expect(answers.map((answer) => answer.subarray(4).toString())).toEqual(['one', 'two', 'three']);
    expect(seen.map((frame) => frame.subarray(4).toString())).toEqual(['one', 'two', 'three']);
  });

  it('hands nothing from a client with the wrong secret to the service', async () => {
    const { seen, port, guard } = await guardedEcho(secret, 300);
    const caller = client(port, otherSecret);
    await expect(caller.request(request('forged'))).rejects.toThrow();
    expect(seen).toEqual([]);
    expect(guard.rejections).toBeGreaterThan(0);
  });

  it('closes a connection whose first frame is not a handshake, without acting on it', async () => {
    const { seen, port } = await guardedEcho(secret);
    const raw = await RawConnection.open(port);
    cleanups.push(() => raw.destroy());
    const outcome = await raw.exchange(framed(request('a service frame before any handshake')));
    expect(outcome.kind).toBe('closed');
    expect(seen).toEqual([]);
  });

  it('closes a connection that sends a service frame in place of its proof', async () => {
    const { seen, port } = await guardedEcho(secret, 300);
    const raw = await RawConnection.open(port);
    cleanups.push(() => raw.destroy());
    const challenge = await raw.exchange(framed(new PeerAuthClientSide(secret, 'slow').hello()));
    expect(challenge.kind).toBe('answered');
    // A service frame sent without the proof is not acted on, and the connection is closed.
    raw.write(framed(request('after hello, no proof')));
    expect((await raw.next(5_000)).kind).toBe('closed');
    expect(seen).toEqual([]);
  });

  it('closes a connection that sends nothing once the handshake time runs out', async () => {
    const { port } = await guardedEcho(secret, 300);
    const raw = await RawConnection.open(port);
    cleanups.push(() => raw.destroy());
    expect((await raw.next(5_000)).kind).toBe('closed');
  });

  it('without a secret on either side, behaves as a plain frame server', async () => {
    const { seen, port } = await guardedEcho(undefined);
    const answer = await client(port, undefined).request(request('plain'));
    expect(answer.subarray(4).toString()).toBe('plain');
    expect(seen).toHaveLength(1);
  });
});
