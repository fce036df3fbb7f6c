/**
 * The one definition of a "word" shared by every layer (stream bolts, batch jobs, examples), so
 * that a stream count and a batch count of the same text can be compared exactly: a maximal run
 * of Unicode letters or digits, lower-cased with toLowerCase().
 */

/** Global, so each call must use a fresh matchAll (which clones it) rather than exec on it. */
export const WORD_PATTERN = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(WORD_PATTERN)) words.push(match[0].toLowerCase());
  return words;
}
