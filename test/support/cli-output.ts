/** Assertions on what a CLI run printed (see barista.ts for running it). */
import { expect } from '@jest/globals';
import type { CommandResult } from './barista.js';

/** The one error line a failed command prints, after checking that it failed and printed nothing else. */
export function failureLine(result: CommandResult): string {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}
