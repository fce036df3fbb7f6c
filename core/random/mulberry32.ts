/**
 * mulberry32: a tiny, fast, well-distributed 32-bit PRNG for everything that must be
 * reproducible from a seed — simulations, fault schedules, generated data, property tests. Same
 * seed, same sequence, on every machine. Not for anything secret (use node:crypto).
 */

/** Uniform floats in [0, 1); each is a 32-bit output divided by 2^32, so `Math.floor(x * 2 ** 32)`
 * recovers the raw 32-bit value exactly. */
export function mulberry32(seed: number): () => number {
  // A typed array keeps the 32-bit state unboxed; a closure variable above 2^30 would be
  // re-allocated as a heap number on every call (this runs millions of times per simulation).
  const state = new Int32Array([seed | 0]);
  return () => {
    state[0] = ((state[0] as number) + 0x6d2b79f5) | 0;
    let t = state[0] as number;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
