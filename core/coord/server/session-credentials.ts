/**
 * Session ids and passwords. An id is unique across the ensemble: the issuing server's id in the
 * top byte (as ZooKeeper does), then milliseconds and a counter. The password is an HMAC of the
 * id under the ensemble's shared secret, so any server can check a reconnecting client without
 * storing passwords in the replicated state.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_PASSWORD_BYTES = 16;

export class SessionIdGenerator {
  private counter = 0n;

  constructor(private readonly serverId: number) {
    if (!Number.isInteger(serverId) || serverId < 0 || serverId > 255) throw new RangeError(`server id must be 0..255 to fit a session id's top byte, got ${serverId}`);
  }

  next(nowMs: number): bigint {
    this.counter = (this.counter + 1n) & 0xffffn;
    const body = ((BigInt(nowMs) << 16n) | this.counter) & 0x00ff_ffff_ffff_ffffn;
    return BigInt.asIntN(64, (BigInt(this.serverId) << 56n) | body);
  }
}

export function sessionPassword(secret: string, sessionId: bigint): Buffer {
  const id = Buffer.alloc(8);
  id.writeBigInt64BE(BigInt.asIntN(64, sessionId));
  return createHmac('sha256', secret).update(id).digest().subarray(0, SESSION_PASSWORD_BYTES);
}

export function passwordMatches(secret: string, sessionId: bigint, password: Buffer): boolean {
  const expected = sessionPassword(secret, sessionId);
  return password.length === expected.length && timingSafeEqual(password, expected);
}
