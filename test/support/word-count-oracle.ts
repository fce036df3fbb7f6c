/**
 * The oracle for every word-count test: a deliberately plain loop, written without any Barista
 * code (not even core/text), that walks the text one code point at a time. If a layer's count
 * disagrees with this, the layer is wrong.
 */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

export function oracleWordCount(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let word = '';
  const flush = () => {
    if (word.length > 0) {
      const key = word.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + 1);
      word = '';
    }
  };
  for (const codePoint of text) {
    if (LETTER_OR_DIGIT.test(codePoint)) word += codePoint;
    else flush();
  }
  flush();
  return counts;
}

/** Most frequent first; ties broken alphabetically so results are comparable. */
export function topWords(counts: ReadonlyMap<string, number>, limit: number): Array<[string, number]> {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
}
