import { describe, expect, it } from '@jest/globals';
import { globMatch } from './glob.js';

const matches = (pattern: string, subject: string, noCase = false) => globMatch(Buffer.from(pattern, 'latin1'), Buffer.from(subject, 'latin1'), noCase);

describe("glob matching (Redis's stringmatchlen)", () => {
  it.each([
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['key:*:count', 'key:raven:count', true],
    ['key:*:count', 'key:raven:sum', false],
    ['a*', 'a', true],
    ['a**', 'a', true],
    ['*', '', false],
    ['[abc', 'a', true],
  ])('%j against %j: %p', (pattern, subject, expected) => expect(matches(pattern, subject)).toBe(expected));

  it('ignores case when asked (CONFIG GET)', () => {
    expect(matches('APPEND*', 'appendonly', true)).toBe(true);
    expect(matches('APPEND*', 'appendonly')).toBe(false);
  });

  it('stays fast on patterns that backtrack exponentially in naive matchers', () => {
    const started = Date.now();
    expect(matches(`${'a*'.repeat(30)}b`, 'a'.repeat(60))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up, as no match, on patterns nested deeper than its limit instead of overflowing the stack', () => {
    expect(matches(`${'*x'.repeat(5_000)}`, 'x'.repeat(5_000))).toBe(false);
  });
});
