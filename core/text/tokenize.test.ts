import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { tokenize } from './tokenize.js';
import { oracleWordCount } from '../../test/support/word-count-oracle.js';

function count(words: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

describe('tokenize', () => {
  it('splits on anything that is not a letter or digit and lower-cases', () => {
    expect(tokenize("'T is some visiter,\" I muttered--\"tapping at my chamber door")).toEqual(['t', 'is', 'some', 'visiter', 'i', 'muttered', 'tapping', 'at', 'my', 'chamber', 'door']);
  });

  it('keeps non-Latin letters and digits, and treats underscores and apostrophes as separators', () => {
    expect(tokenize('Ça_va? Δέλτα 42nd o\'er ÆON')).toEqual(['ça', 'va', 'δέλτα', '42nd', 'o', 'er', 'æon']);
  });

  it('agrees with the oracle on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(count(tokenize(text))).toEqual(oracleWordCount(text));
      }),
      { numRuns: 1_000 },
    );
  });

  it('agrees with the oracle on The Raven', async () => {
    const raven = await readFile(new URL('../../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8');
    const counts = count(tokenize(raven));
    expect(counts).toEqual(oracleWordCount(raven));
    expect(counts.get('nevermore')).toBe(11);
  });
});
