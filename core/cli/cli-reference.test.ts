import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { runBarista } from '../../test/support/barista.js';
import { subcommandsOf } from './cli-reference.js';


function flagsOf(help: string): string[] {
  const section = (help.split('\nOptions:\n')[1] ?? '').split('\nCommands:\n')[0]!;
  return [...section.matchAll(/^ {2}(?:-[A-Za-z], )?(--[a-z][a-z-]*)/gm)].map((match) => match[1]!);
}

describe('docs/cli.md', () => {
  it('documents every command and every option the CLI has (regenerate with npm run docs:cli)', async () => {
    const doc = await readFile(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const top = (await runBarista(['--help'])).stdout;
    const checks = subcommandsOf(top).map(async (command): Promise<string[]> => {
      const section = doc.split(`\n## barista ${command}\n`)[1]?.split('\n## ')[0];
      if (section === undefined) return [`barista ${command}`];
      const help = (await runBarista([command, '--help'])).stdout;
      const missing = flagsOf(help).filter((flag) => !section.includes(flag)).map((flag) => `barista ${command} ${flag}`);
      for (const sub of subcommandsOf(help)) {
        const subHelp = (await runBarista([command, sub, '--help'])).stdout;
        if (!section.includes(`### barista ${command} ${sub}`)) missing.push(`barista ${command} ${sub}`);
        for (const flag of flagsOf(subHelp)) if (!section.includes(flag)) missing.push(`barista ${command} ${sub} ${flag}`);
      }
      return missing;
    });
    expect((await Promise.all(checks)).flat()).toEqual([]);
  }, 120_000);
});
