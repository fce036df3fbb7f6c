/**
 * Bytes of a HyperLogLog sketch. A realtime bucket often holds a few items, and its record is
 * rewritten on every delta, so a sketch with few non-zero registers is stored sparse:
 *
 *   sparse: 0x01, p, then (register index: uint16 big-endian, rank: uint8) per non-zero register,
 *           indexes ascending;
 *   dense:  0x02, p, then the 2^p registers, one byte each.
 *
 * The form is a function of the value (sparse exactly when it is shorter), and decode accepts
 * only that form, so equal sketches always encode to equal bytes.
 */
import { InvalidViewValueError } from '../errors.js';

const SPARSE = 0x01;
const DENSE = 0x02;
const HEADER_BYTES = 2;
const SPARSE_ENTRY_BYTES = 3;

function isSparseShorter(nonZero: number, registerCount: number): boolean {
  return nonZero * SPARSE_ENTRY_BYTES < registerCount;
}

export function encodeRegisters(precision: number, registers: Uint8Array): Buffer {
  let nonZero = 0;
  for (const register of registers) if (register !== 0) nonZero += 1;
  if (!isSparseShorter(nonZero, registers.length)) {
    const out = Buffer.allocUnsafe(HEADER_BYTES + registers.length);
    out[0] = DENSE;
    out[1] = precision;
    out.set(registers, HEADER_BYTES);
    return out;
  }
  const out = Buffer.allocUnsafe(HEADER_BYTES + nonZero * SPARSE_ENTRY_BYTES);
  out[0] = SPARSE;
  out[1] = precision;
  let at = HEADER_BYTES;
  for (let index = 0; index < registers.length; index += 1) {
    if (registers[index] === 0) continue;
    out.writeUInt16BE(index, at);
    out[at + 2] = registers[index]!;
    at += SPARSE_ENTRY_BYTES;
  }
  return out;
}

/** The registers of an encoded sketch of `precision`; throws InvalidViewValueError for any bytes
 * encodeRegisters would not write (another precision, a wrong length, a rank above maxRank). */
export function decodeRegisters(spec: string, precision: number, maxRank: number, bytes: Buffer): Uint8Array {
  const registerCount = 2 ** precision;
  const bad = (problem: string) => new InvalidViewValueError(spec, `${bytes.length} bytes ${bytes.subarray(0, 12).toString('hex')}…`, `a HyperLogLog sketch of precision ${precision} (${problem})`);
  if (bytes.length < HEADER_BYTES) throw bad('too short');
  if (bytes[1] !== precision) throw bad(`it has precision ${bytes[1]}`);
  const registers = new Uint8Array(registerCount);
  let nonZero = 0;
  if (bytes[0] === DENSE) {
    if (bytes.length !== HEADER_BYTES + registerCount) throw bad(`dense form must be ${HEADER_BYTES + registerCount} bytes`);
    registers.set(bytes.subarray(HEADER_BYTES));
    for (const register of registers) {
      if (register > maxRank) throw bad(`register above ${maxRank}`);
      if (register !== 0) nonZero += 1;
    }
    if (isSparseShorter(nonZero, registerCount)) throw bad('dense form of a sketch stored sparse');
    return registers;
  }
  if (bytes[0] !== SPARSE) throw bad('unknown form');
  if ((bytes.length - HEADER_BYTES) % SPARSE_ENTRY_BYTES !== 0) throw bad('sparse entries are 3 bytes');
  let previous = -1;
  for (let at = HEADER_BYTES; at < bytes.length; at += SPARSE_ENTRY_BYTES) {
    const index = bytes.readUInt16BE(at);
    const rank = bytes[at + 2]!;
    if (index <= previous || index >= registerCount) throw bad('sparse indexes must ascend below the register count');
    if (rank === 0 || rank > maxRank) throw bad(`sparse ranks must be 1 to ${maxRank}`);
    registers[index] = rank;
    previous = index;
    nonZero += 1;
  }
  if (!isSparseShorter(nonZero, registerCount)) throw bad('sparse form of a sketch stored dense');
  return registers;
}
