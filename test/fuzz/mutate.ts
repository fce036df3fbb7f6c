/**
 * Byte mutation of valid requests, for protocol fuzzing: given the bytes of a request a server
 * accepts, makes variants that are almost right — the inputs most likely to get past a decoder's
 * first checks and hit the code behind them. Deterministic: the same seed and input give the same
 * mutants on every machine, so a failure reproduces from the seed a suite prints.
 */
import { mulberry32 } from '../../core/random/mulberry32.js';

/** Byte values at the edges of signed and unsigned ranges, where decoders miscount. */
const BOUNDARY_BYTES = [0x00, 0x7f, 0x80, 0xff] as const;

/** Most random bytes appended by a garbage tail. */
const MAX_GARBAGE_TAIL_BYTES = 64;

/** Most times one slice is repeated by a duplication. */
const MAX_DUPLICATIONS = 8;

export type MutationKind = 'bit-flip' | 'boundary-byte' | 'length-field' | 'truncate' | 'duplicate-slice' | 'garbage-tail';

export const MUTATION_KINDS: readonly MutationKind[] = ['bit-flip', 'boundary-byte', 'length-field', 'truncate', 'duplicate-slice', 'garbage-tail'];

export interface Mutant {
  readonly kind: MutationKind;
  readonly bytes: Buffer;
}

export interface MutateOptions {
  /** Offsets of int32 length (or count) fields worth lying about; any 4 bytes are tried otherwise. */
  readonly lengthFieldOffsets?: readonly number[];
}

/** A seeded source of mutants. */
export class Mutator {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.random() * bound);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs at least one item');
    return items[this.below(items.length)] as T;
  }

  /** One mutant of `valid`, of a kind chosen at random (or the one asked for). */
  mutate(valid: Buffer, options: MutateOptions = {}, kind: MutationKind = this.pick(MUTATION_KINDS)): Mutant {
    return { kind, bytes: this.apply(kind, Buffer.from(valid), options) };
  }

  /** `count` mutants, the kinds taken in turn so each is exercised evenly. */
  mutants(valid: Buffer, count: number, options: MutateOptions = {}): Mutant[] {
    return Array.from({ length: count }, (_, index) => this.mutate(valid, options, MUTATION_KINDS[index % MUTATION_KINDS.length]!));
  }

  private apply(kind: MutationKind, bytes: Buffer, options: MutateOptions): Buffer {
    if (bytes.length === 0) return this.garbage(1 + this.below(MAX_GARBAGE_TAIL_BYTES));
    switch (kind) {
      case 'bit-flip': {
        const flips = 1 + this.below(4);
        for (let i = 0; i < flips; i += 1) {
          const at = this.below(bytes.length);
          bytes[at] = bytes[at]! ^ (1 << this.below(8));
        }
        return bytes;
      }
      case 'boundary-byte':
        bytes[this.below(bytes.length)] = this.pick(BOUNDARY_BYTES);
        return bytes;
      case 'length-field':
        return this.lieAboutLength(bytes, options);
      case 'truncate':
        return bytes.subarray(0, this.below(bytes.length));
      case 'duplicate-slice': {
        const start = this.below(bytes.length);
        const end = start + 1 + this.below(bytes.length - start);
        const slice = bytes.subarray(start, end);
        const copies = Array.from({ length: 1 + this.below(MAX_DUPLICATIONS) }, () => slice);
        return Buffer.concat([bytes.subarray(0, end), ...copies, bytes.subarray(end)]);
      }
      case 'garbage-tail':
        return Buffer.concat([bytes, this.garbage(1 + this.below(MAX_GARBAGE_TAIL_BYTES))]);
    }
  }

  /** Overwrites an int32 (a known length field, or any 4 bytes) with a huge, negative or off-by-one value. */
  private lieAboutLength(bytes: Buffer, options: MutateOptions): Buffer {
    if (bytes.length < 4) return this.apply('boundary-byte', bytes, options);
    const known = (options.lengthFieldOffsets ?? []).filter((offset) => offset + 4 <= bytes.length);
    const offset = known.length > 0 && this.below(4) > 0 ? this.pick(known) : this.below(bytes.length - 3);
    const original = bytes.readInt32BE(offset);
    const lies = [0x7fffffff, 0x7ffffffe, -1, -2, -0x80000000, 0, original + 1, original - 1, 0x10000, 0x40000000];
    bytes.writeInt32BE(Math.max(-0x80000000, Math.min(0x7fffffff, this.pick(lies))), offset);
    return bytes;
  }

  garbage(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.below(256);
    return out;
  }
}

/** Puts a 4-byte big-endian length prefix in front of `payload` (Kafka, ZooKeeper, core/net). */
export function framed(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

/**
 * The seed of a fuzz suite: FUZZ_SEED when set (to reproduce a failure), else a fresh one. The
 * suite prints it, so any run can be replayed.
 */
export function fuzzSeed(suite: string): number {
  const fromEnvironment = process.env.FUZZ_SEED;
  const seed = fromEnvironment !== undefined && fromEnvironment !== '' ? Number(fromEnvironment) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  process.stdout.write(`[fuzz] ${suite}: seed ${seed} (reproduce with FUZZ_SEED=${seed})\n`);
  return seed;
}
