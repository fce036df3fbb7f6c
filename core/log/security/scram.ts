/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as pure functions and a two-step server
 * exchange: client-first → server-first, client-final → server-final. No sockets: the SASL
 * session (sasl-session.ts) feeds it the tokens SaslAuthenticate carries.
 *
 * Guarantees: the password never leaves credential computation (the server keeps only salt,
 * iterations, StoredKey and ServerKey, as Kafka's ScramCredential does); a proof is compared in
 * constant time; a client nonce seen before (within NONCE_MEMORY) is refused, and a client-final
 * whose nonce is not this exchange's combined nonce is refused — so a recorded exchange cannot be
 * replayed on another connection.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** What the server stores per user and mechanism (never the password). */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Kafka's minimum (and our default) iteration count for SCRAM credentials. */
export const SCRAM_MIN_ITERATIONS = 4096;
/** Kafka's maximum iteration count: beyond it a login would cost the broker seconds. */
export const SCRAM_MAX_ITERATIONS = 16384;
/** How many client nonces the replay guard remembers (oldest forgotten first). */
export const NONCE_MEMORY = 10_000;
/** The longest SCRAM message accepted; real ones are under 300 bytes. */
export const MAX_SCRAM_MESSAGE_BYTES = 4096;

const HASH: Record<ScramMechanism, { name: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
};

export class ScramError extends Error {
  constructor(readonly reason: string) {
    super(`SCRAM authentication failed: ${reason}`);
    this.name = 'ScramError';
  }
}

const hmac = (mechanism: ScramMechanism, key: Buffer, data: string | Buffer) => createHmac(HASH[mechanism].name, key).update(data).digest();
const hash = (mechanism: ScramMechanism, data: Buffer) => createHash(HASH[mechanism].name).update(data).digest();
const xor = (left: Buffer, right: Buffer) => Buffer.from(left.map((byte, index) => byte ^ (right[index] ?? 0)));

export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  // SASLprep is not applied (Kafka's Java client does not either): passwords are used as UTF-8.
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, HASH[mechanism].bytes, HASH[mechanism].name);
}

/** The stored credential for a password, with a fresh random salt unless one is given. */
export function scramCredential(mechanism: ScramMechanism, password: string, iterations = SCRAM_MIN_ITERATIONS, salt: Buffer = randomBytes(24)): ScramCredential {
  const salted = saltedPassword(mechanism, password, salt, iterations);
  const clientKey = hmac(mechanism, salted, 'Client Key');
  return { salt, iterations, storedKey: hash(mechanism, clientKey), serverKey: hmac(mechanism, salted, 'Server Key') };
}

/** Parses "k=v,k=v" attributes; values may contain '=' (base64 padding). */
function attributes(message: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of message.split(',')) {
    if (part.length < 2 || part[1] !== '=') throw new ScramError(`malformed attribute "${part.slice(0, 20)}"`);
    result.set(part[0] as string, part.slice(2));
  }
  return result;
}

function required(fields: Map<string, string>, key: string): string {
  const value = fields.get(key);
  if (value === undefined || value.length === 0) throw new ScramError(`missing attribute ${key}`);
  return value;
}

/** RFC 5802 saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed. */
function decodeSaslName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new ScramError('malformed user name');
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export interface ClientFirst {
  username: string;
  clientNonce: string;
  gs2Header: string;
  bare: string;
}

export function parseClientFirst(message: string): ClientFirst {
  if (message.length > MAX_SCRAM_MESSAGE_BYTES) throw new ScramError('client-first message too long');
  const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(message);
  if (match === null) throw new ScramError(message.startsWith('p=') ? 'channel binding is not supported' : 'malformed GS2 header');
  const bare = match[3] as string;
  const fields = attributes(bare);
  if (fields.has('m')) throw new ScramError('mandatory extensions are not supported');
  const username = decodeSaslName(required(fields, 'n'));
  const authzid = match[2]?.slice(2);
  if (authzid !== undefined && authzid !== '' && decodeSaslName(authzid) !== username) throw new ScramError('authorization id differs from the user name');
  const clientNonce = required(fields, 'r');
  if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) throw new ScramError('nonce has characters outside printable ASCII');
  return { username, clientNonce, gs2Header: message.slice(0, message.length - bare.length), bare };
}

/** Remembers recent client nonces across connections; a repeat means a replayed client-first. */
export class NonceGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = NONCE_MEMORY) {}

  /** True the first time a nonce is offered, false on every repeat while it is remembered. */
  claim(nonce: string): boolean {
    if (this.seen.has(nonce)) return false;
    this.seen.add(nonce);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

const printableNonce = () => randomBytes(24).toString('base64').replace(/,/g, '-');

/**
 * One server-side SCRAM exchange. `first` answers the client-first message (the user's
 * credential looked up by the caller); `final` checks the proof and returns the server-final
 * message that proves the server knew the credential too.
 */
export class ScramServerExchange {
  private state: { step: 'first' } | { step: 'final'; nonce: string; authMessagePrefix: string; gs2Header: string } | { step: 'done' } = { step: 'first' };

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly credential: ScramCredential,
    private readonly serverNonce: () => string = printableNonce,
  ) {}

  first(clientFirst: ClientFirst): string {
    if (this.state.step !== 'first') throw new ScramError('client-first message out of order');
    const nonce = clientFirst.clientNonce + this.serverNonce();
    const serverFirst = `r=${nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.state = { step: 'final', nonce, authMessagePrefix: `${clientFirst.bare},${serverFirst}`, gs2Header: clientFirst.gs2Header };
    return serverFirst;
  }

  final(message: string): string {
    const state = this.state;
    if (state.step !== 'final') throw new ScramError('client-final message out of order');
    this.state = { step: 'done' };
    if (message.length > MAX_SCRAM_MESSAGE_BYTES) throw new ScramError('client-final message too long');
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('missing proof');
    const withoutProof = message.slice(0, proofAt);
    const fields = attributes(withoutProof);
    // Kafka checks endsWith, not equality: librdkafka sends the client nonce once more in front
    // of the combined one. The proof covers this message either way, so nothing is weakened.
    if (!required(fields, 'r').endsWith(state.nonce)) throw new ScramError('nonce does not match this exchange (replayed or forged message)');
    if (Buffer.from(required(fields, 'c'), 'base64').toString('utf8') !== state.gs2Header) throw new ScramError('channel binding does not match the GS2 header');
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const authMessage = `${state.authMessagePrefix},${withoutProof}`;
    const { storedKey, serverKey } = this.credential;
    const clientSignature = hmac(this.mechanism, storedKey, authMessage);
    if (proof.length !== storedKey.length) throw new ScramError('proof has the wrong length');
    const clientKey = xor(proof, clientSignature);
    if (!timingSafeEqual(hash(this.mechanism, clientKey), storedKey)) throw new ScramError('wrong password');
    return `v=${hmac(this.mechanism, serverKey, authMessage).toString('base64')}`;
  }
}

/** The client side, for inter-broker connections and tests: first message, then the final one. */
export class ScramClientExchange {
  readonly clientNonce: string;
  private authMessage = '';
  private salted: Buffer = Buffer.alloc(0);

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly username: string,
    private readonly password: string,
    clientNonce: string = printableNonce(),
  ) {
    this.clientNonce = clientNonce;
  }

  private get bare(): string {
    return `n=${this.username.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=${this.clientNonce}`;
  }

  first(): string {
    return `n,,${this.bare}`;
  }

  final(serverFirst: string): string {
    const fields = attributes(serverFirst);
    const nonce = required(fields, 'r');
    if (!nonce.startsWith(this.clientNonce)) throw new ScramError('server nonce does not extend the client nonce');
    const iterations = Number(required(fields, 'i'));
    if (!Number.isInteger(iterations) || iterations < 1) throw new ScramError('bad iteration count');
    this.salted = saltedPassword(this.mechanism, this.password, Buffer.from(required(fields, 's'), 'base64'), iterations);
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce}`;
    this.authMessage = `${this.bare},${serverFirst},${withoutProof}`;
    const clientKey = hmac(this.mechanism, this.salted, 'Client Key');
    const proof = xor(clientKey, hmac(this.mechanism, hash(this.mechanism, clientKey), this.authMessage));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Throws unless the server-final message proves the server holds this user's credential. */
  verify(serverFinal: string): void {
    const fields = attributes(serverFinal);
    if (fields.has('e')) throw new ScramError(`server refused: ${fields.get('e') ?? ''}`);
    const expected = hmac(this.mechanism, hmac(this.mechanism, this.salted, 'Server Key'), this.authMessage).toString('base64');
    if (fields.get('v') !== expected) throw new ScramError('server signature does not match');
  }
}
