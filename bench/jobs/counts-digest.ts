/** An order-independent digest term of one (word, count): summed mod 2^31-1 over all words. */
export function countsDigest(word: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193);
  return ((hash >>> 0) % 65_521) * (count % 32_749);
}
