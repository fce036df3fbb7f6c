/**
 * Bodies of the anti-entropy peer operations (PeerOp.MerkleLeaves, PeerOp.MerkleLeafKeys). The
 * request key of both is the partition number (uint32). Tree levels use the Merkle module's own
 * codec (encodeMerkleLevel); this file frames the rest:
 *   MerkleLeaves request    the requester's root hash (32 bytes)
 *   MerkleLeaves reply      empty when the roots are equal, else the responder's leaf level
 *   MerkleLeafKeys request  uint32 count | uint32 leaf*              (count ≤ MAX_LEAVES_PER_EXCHANGE)
 *   MerkleLeafKeys reply    uint32 count | (uint32 length | key | uint8 length | digest)*
 */
import { MAX_VALUE_DIGEST_BYTES } from '../anti-entropy/index.js';
import type { KeyDigest } from './partition-digests.js';
import { MalformedPeerMessageError } from './peer-messages.js';

/** Leaves whose keys one exchange compares; the rest of a very divergent partition waits for its next round. */
export const MAX_LEAVES_PER_EXCHANGE = 64;

export function encodePartition(partition: number): Buffer {
  const key = Buffer.allocUnsafe(4);
  key.writeUInt32BE(partition);
  return key;
}

export function decodePartition(key: Buffer): number {
  if (key.length !== 4) throw new MalformedPeerMessageError(`partition key of ${key.length} bytes, expected 4`);
  return key.readUInt32BE(0);
}

export function encodeLeafList(leaves: readonly number[]): Buffer {
  const body = Buffer.allocUnsafe(4 + 4 * leaves.length);
  body.writeUInt32BE(leaves.length, 0);
  leaves.forEach((leaf, i) => body.writeUInt32BE(leaf, 4 + 4 * i));
  return body;
}

export function decodeLeafList(body: Buffer, leafCount: number): number[] {
  if (body.length < 4) throw new MalformedPeerMessageError('leaf list without a count');
  const count = body.readUInt32BE(0);
  if (count > MAX_LEAVES_PER_EXCHANGE) throw new MalformedPeerMessageError(`${count} leaves asked, at most ${MAX_LEAVES_PER_EXCHANGE}`);
  if (body.length !== 4 + 4 * count) throw new MalformedPeerMessageError(`leaf list of ${body.length} bytes for ${count} leaves`);
  const leaves = Array.from({ length: count }, (_, i) => body.readUInt32BE(4 + 4 * i));
  const outside = leaves.find((leaf) => leaf >= leafCount);
  if (outside !== undefined) throw new MalformedPeerMessageError(`leaf ${outside} of a tree of ${leafCount} leaves`);
  return leaves;
}

export function encodeKeyDigests(entries: readonly KeyDigest[]): Buffer {
  const parts: Buffer[] = [u32(entries.length)];
  for (const { key, digest } of entries) parts.push(u32(key.length), key, Buffer.from([digest.length]), digest);
  return Buffer.concat(parts);
}

export function decodeKeyDigests(body: Buffer): KeyDigest[] {
  let position = 0;
  const take = (count: number, what: string): Buffer => {
    if (position + count > body.length) throw new MalformedPeerMessageError(`${what} overruns the message`);
    position += count;
    return body.subarray(position - count, position);
  };
  const count = take(4, 'count').readUInt32BE(0);
  const entries: KeyDigest[] = [];
  for (let i = 0; i < count; i++) {
    const key = take(take(4, 'key length').readUInt32BE(0), 'key');
    const digestLength = take(1, 'digest length').readUInt8(0);
    if (digestLength === 0 || digestLength > MAX_VALUE_DIGEST_BYTES) throw new MalformedPeerMessageError(`digest of ${digestLength} bytes`);
    entries.push({ key, digest: take(digestLength, 'digest') });
  }
  if (position !== body.length) throw new MalformedPeerMessageError(`${body.length - position} bytes after the last key`);
  return entries;
}

function u32(value: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
