/**
 * Mutual challenge-response between two members of one cluster that share a secret (ZooKeeper's
 * quorum auth and Kafka's inter-broker SASL give the same guarantee): before a connection carries
 * anything else, each side proves it knows the secret, and neither proof can be replayed on
 * another connection because it covers a fresh nonce chosen by the other side.
 *
 *   hello      client → server  int32 correlation | magic | step 1 | client nonce | identity
 *   challenge  server → client  int32 correlation | magic | step 2 | server nonce | server proof | identity
 *   proof      client → server  int32 correlation | magic | step 3 | client proof
 *
 * proof = HMAC-SHA256(secret, label | client nonce | server nonce | prover identity | verifier
 * identity), label "server" or "client": a server's proof reflected back to it is not a client
 * proof. This file is pure (no sockets, no timers); peer-auth-server.ts and peer-auth-client.ts run
 * it over core/net connections.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Bytes of each side's nonce: enough that a nonce never repeats across connections. */
export const PEER_AUTH_NONCE_BYTES = 32;
/** Bytes of an HMAC-SHA256 proof. */
export const PEER_AUTH_PROOF_BYTES = 32;
/** Longest identity ("coord server 3", "serving node n1") a side may claim. */
export const MAX_PEER_IDENTITY_BYTES = 128;
/** A shorter secret is refused: it could be guessed offline from one observed handshake. */
export const MIN_PEER_SECRET_BYTES = 16;
/** A peer that has not completed the handshake this long after connecting is closed. */
export const PEER_AUTH_TIMEOUT_MS = 5_000;

/** "BPA1": tells a handshake frame from a stray service frame at a glance. */
const MAGIC = 0x42504131;
const HEADER_BYTES = 4 + 4 + 1;
const Step = { hello: 1, challenge: 2, proof: 3 } as const;
type Step = (typeof Step)[keyof typeof Step];
const PROOF_LABEL = { client: 'barista peer auth v1 client', server: 'barista peer auth v1 server' } as const;

export type PeerAuthErrorCode = 'PEER_AUTH_MALFORMED' | 'PEER_AUTH_REJECTED' | 'PEER_SECRET_INVALID';

export class PeerAuthError extends Error {
  constructor(
    readonly code: PeerAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PeerAuthError';
  }
}

/** The cluster secret every member is started with. */
export class PeerSecret {
  private constructor(private readonly bytes: Buffer) {}

  static fromBytes(bytes: Buffer, source = 'the peer secret'): PeerSecret {
    if (bytes.length < MIN_PEER_SECRET_BYTES) {
      throw new PeerAuthError('PEER_SECRET_INVALID', `${source} has ${bytes.length} bytes; use at least ${MIN_PEER_SECRET_BYTES} random bytes (e.g. \`openssl rand -hex 32 > secret\`), the same file on every member`);
    }
    return new PeerSecret(Buffer.from(bytes));
  }

  /** Reads a secret file; surrounding whitespace (an editor's trailing newline) is not part of it. */
  static async fromFile(path: string): Promise<PeerSecret> {
    let text: Buffer;
    try {
      text = await readFile(path);
    } catch (error) {
      throw new PeerAuthError('PEER_SECRET_INVALID', `cannot read the peer secret file ${path}: ${(error as Error).message}`);
    }
    return PeerSecret.fromBytes(Buffer.from(text.toString('latin1').trim(), 'latin1'), `peer secret file ${path}`);
  }

  /** A fresh random secret, hex-encoded, for a file `barista up` writes. */
  static generateText(): string {
    return `${randomBytes(32).toString('hex')}\n`;
  }

  proof(prover: 'client' | 'server', clientNonce: Buffer, serverNonce: Buffer, proverIdentity: string, verifierIdentity: string): Buffer {
    const mac = createHmac('sha256', this.bytes);
    mac.update(PROOF_LABEL[prover]);
    mac.update(clientNonce);
    mac.update(serverNonce);
    for (const identity of [proverIdentity, verifierIdentity]) {
      const bytes = Buffer.from(identity, 'utf8');
      mac.update(Buffer.from([bytes.length]));
      mac.update(bytes);
    }
    return mac.digest();
  }
}

export function newNonce(): Buffer {
  return randomBytes(PEER_AUTH_NONCE_BYTES);
}

function proofsEqual(expected: Buffer, received: Buffer): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}

function encode(step: Step, correlationId: number, parts: Buffer[]): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32BE(correlationId, 0);
  header.writeUInt32BE(MAGIC, 4);
  header.writeUInt8(step, 8);
  return Buffer.concat([header, ...parts]);
}

function identityBytes(identity: string): Buffer {
  const bytes = Buffer.from(identity, 'utf8');
  if (bytes.length === 0 || bytes.length > MAX_PEER_IDENTITY_BYTES) throw new PeerAuthError('PEER_AUTH_MALFORMED', `peer identity "${identity}" must have 1..${MAX_PEER_IDENTITY_BYTES} bytes`);
  return bytes;
}

/** The body after the header, checked to be the expected step; throws PEER_AUTH_MALFORMED. */
function body(frame: Buffer, step: Step, fixedBytes: number, withIdentity: boolean): { fixed: Buffer; identity: string } {
  if (frame.length < HEADER_BYTES || frame.readUInt32BE(4) !== MAGIC) throw new PeerAuthError('PEER_AUTH_MALFORMED', 'expected a peer authentication frame first (is this member started without --peer-secret-file?)');
  if (frame.readUInt8(8) !== step) throw new PeerAuthError('PEER_AUTH_MALFORMED', `peer authentication step ${frame.readUInt8(8)} arrived where step ${step} was expected`);
  const rest = frame.subarray(HEADER_BYTES);
  const identity = rest.subarray(fixedBytes);
  const identityOk = withIdentity ? identity.length >= 1 && identity.length <= MAX_PEER_IDENTITY_BYTES : identity.length === 0;
  if (rest.length < fixedBytes || !identityOk) throw new PeerAuthError('PEER_AUTH_MALFORMED', `peer authentication step ${step} has ${frame.length} bytes, a wrong size`);
  return { fixed: rest.subarray(0, fixedBytes), identity: identity.toString('utf8') };
}

/** The accepting side of one connection: answers the hello, then checks the client's proof. */
export class PeerAuthServerSide {
  private clientNonce: Buffer | undefined;
  private clientIdentity = '';

  constructor(
    private readonly secret: PeerSecret,
    private readonly identity: string,
    private readonly nonce: Buffer = newNonce(),
  ) {}

  get sawHello(): boolean {
    return this.clientNonce !== undefined;
  }

  /** Answers a hello with this side's nonce and proof; the frame keeps the hello's correlation id. */
  answerHello(frame: Buffer): Buffer {
    if (this.clientNonce !== undefined) throw new PeerAuthError('PEER_AUTH_MALFORMED', 'a second hello on one connection');
    const { fixed, identity } = body(frame, Step.hello, PEER_AUTH_NONCE_BYTES, true);
    this.clientNonce = Buffer.from(fixed);
    this.clientIdentity = identity;
    const proof = this.secret.proof('server', this.clientNonce, this.nonce, this.identity, identity);
    return encode(Step.challenge, frame.readInt32BE(0), [this.nonce, proof, identityBytes(this.identity)]);
  }

  /** Checks the client's proof; returns the identity it proved, or throws PEER_AUTH_REJECTED. */
  checkProof(frame: Buffer): string {
    if (this.clientNonce === undefined) throw new PeerAuthError('PEER_AUTH_MALFORMED', 'a proof before any hello');
    const { fixed } = body(frame, Step.proof, PEER_AUTH_PROOF_BYTES, false);
    const expected = this.secret.proof('client', this.clientNonce, this.nonce, this.clientIdentity, this.identity);
    if (!proofsEqual(expected, fixed)) throw new PeerAuthError('PEER_AUTH_REJECTED', `peer "${this.clientIdentity}" did not prove the cluster secret (a different --peer-secret-file?)`);
    return this.clientIdentity;
  }
}

/** The connecting side of one connection: says hello, then checks the server's proof and answers. */
export class PeerAuthClientSide {
  constructor(
    private readonly secret: PeerSecret,
    private readonly identity: string,
    private readonly nonce: Buffer = newNonce(),
  ) {}

  hello(): Buffer {
    return encode(Step.hello, 0, [this.nonce, identityBytes(this.identity)]);
  }

  /** Checks the server's proof (throws PEER_AUTH_REJECTED) and returns the proof frame to send. */
  answerChallenge(frame: Buffer): { proof: Buffer; serverIdentity: string } {
    const { fixed, identity } = body(frame, Step.challenge, PEER_AUTH_NONCE_BYTES + PEER_AUTH_PROOF_BYTES, true);
    const serverNonce = fixed.subarray(0, PEER_AUTH_NONCE_BYTES);
    const expected = this.secret.proof('server', this.nonce, serverNonce, identity, this.identity);
    if (!proofsEqual(expected, fixed.subarray(PEER_AUTH_NONCE_BYTES))) throw new PeerAuthError('PEER_AUTH_REJECTED', `peer "${identity}" did not prove the cluster secret (a different --peer-secret-file?)`);
    const proof = this.secret.proof('client', this.nonce, serverNonce, this.identity, identity);
    return { proof: encode(Step.proof, 0, [proof]), serverIdentity: identity };
  }
}
