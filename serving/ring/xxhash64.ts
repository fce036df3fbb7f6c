/**
 * XXH64 (Yann Collet's xxHash, 64-bit variant) over bytes, returned as an unsigned bigint.
 * Fast, well distributed and stable across platforms and versions: the ring places keys with it,
 * so its output must never change. Checked against the reference C implementation in the tests.
 */

const MASK_64 = 0xffff_ffff_ffff_ffffn;
const PRIME_1 = 0x9e37_79b1_85eb_ca87n;
const PRIME_2 = 0xc2b2_ae3d_27d4_eb4fn;
const PRIME_3 = 0x1656_67b1_9e37_79f9n;
const PRIME_4 = 0x85eb_ca77_c2b2_ae63n;
const PRIME_5 = 0x27d4_eb2f_1656_67c5n;
const STRIPE_BYTES = 32;

const textEncoder = new TextEncoder();

function rotateLeft(value: bigint, bits: bigint): bigint {
  return ((value << bits) | (value >> (64n - bits))) & MASK_64;
}

function round(accumulator: bigint, lane: bigint): bigint {
  return (rotateLeft((accumulator + lane * PRIME_2) & MASK_64, 31n) * PRIME_1) & MASK_64;
}

function mergeRound(accumulator: bigint, value: bigint): bigint {
  return (((accumulator ^ round(0n, value)) * PRIME_1) + PRIME_4) & MASK_64;
}

/** XXH64 of `data` with a 64-bit `seed` (taken modulo 2^64). */
export function xxhash64(data: Uint8Array, seed = 0n): bigint {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const length = data.byteLength;
  const seed64 = BigInt.asUintN(64, seed);
  let offset = 0;
  let hash: bigint;
  if (length >= STRIPE_BYTES) {
    let v1 = (seed64 + PRIME_1 + PRIME_2) & MASK_64;
    let v2 = (seed64 + PRIME_2) & MASK_64;
    let v3 = seed64;
    let v4 = (seed64 - PRIME_1) & MASK_64;
    for (; offset <= length - STRIPE_BYTES; offset += STRIPE_BYTES) {
      v1 = round(v1, view.getBigUint64(offset, true));
      v2 = round(v2, view.getBigUint64(offset + 8, true));
      v3 = round(v3, view.getBigUint64(offset + 16, true));
      v4 = round(v4, view.getBigUint64(offset + 24, true));
    }
    hash = (rotateLeft(v1, 1n) + rotateLeft(v2, 7n) + rotateLeft(v3, 12n) + rotateLeft(v4, 18n)) & MASK_64;
    hash = mergeRound(hash, v1);
    hash = mergeRound(hash, v2);
    hash = mergeRound(hash, v3);
    hash = mergeRound(hash, v4);
  } else {
    hash = (seed64 + PRIME_5) & MASK_64;
  }
  hash = (hash + BigInt(length)) & MASK_64;
  for (; offset + 8 <= length; offset += 8) {
    hash ^= round(0n, view.getBigUint64(offset, true));
    hash = (rotateLeft(hash, 27n) * PRIME_1 + PRIME_4) & MASK_64;
  }
  if (offset + 4 <= length) {
    hash ^= (BigInt(view.getUint32(offset, true)) * PRIME_1) & MASK_64;
    hash = (rotateLeft(hash, 23n) * PRIME_2 + PRIME_3) & MASK_64;
    offset += 4;
  }
  for (; offset < length; offset++) {
    hash ^= (BigInt(view.getUint8(offset)) * PRIME_5) & MASK_64;
    hash = (rotateLeft(hash, 11n) * PRIME_1) & MASK_64;
  }
  hash ^= hash >> 33n;
  hash = (hash * PRIME_2) & MASK_64;
  hash ^= hash >> 29n;
  hash = (hash * PRIME_3) & MASK_64;
  hash ^= hash >> 32n;
  return hash;
}

/** XXH64 of a key: strings are hashed as their UTF-8 bytes. */
export function xxhash64Key(key: string | Uint8Array, seed = 0n): bigint {
  return xxhash64(typeof key === 'string' ? textEncoder.encode(key) : key, seed);
}
