/** Types for the two codec packages that ship none (only the functions core/log uses). */
declare module 'lz4js' {
  /** Decompresses one LZ4 frame; maxSize bounds the output buffer (default: read from the frame). */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Upper bound of a frame's decompressed size, read from its descriptor and block headers. */
  export function decompressBound(src: Uint8Array): number;
  /** Compresses into one LZ4 frame. */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'snappyjs' {
  /** Decompresses a raw Snappy block, refusing one that declares more than maxLength bytes. */
  export function uncompress<T extends Uint8Array>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array>(uncompressed: T): T;
}
