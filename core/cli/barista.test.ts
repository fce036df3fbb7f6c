import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { runBarista } from '../../test/support/barista.js';
import { oracleWordCount, topWords } from '../../test/support/word-count-oracle.js';

describe('barista command', () => {
  it('prints help naming every subcommand', async () => {
    const { code, stdout } = await runBarista(['--help']);
    expect(code).toBe(0);
    for (const command of ['dev', 'up', 'coord', 'broker', 'serve', 'nimbus', 'supervisor', 'submit', 'batch', 'query']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('prints the package version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await runBarista(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('dev prints the top words of The Raven, matching the oracle', async () => {
    const raven = await readFile(new URL('../../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8');
    const expected = topWords(oracleWordCount(raven), 5);
    const { code, stdout } = await runBarista(['--log-level', 'silent', 'dev', '--top', '5']);
    expect(code).toBe(0);
    const printed = stdout.trim().split('\n').map((line) => {
      const [count, word] = line.trim().split(/\s+/);
      return [word, Number(count)];
    });
    expect(printed).toEqual(expected);
    // Each count is the batch view up to its bucket-aligned cut-off plus the realtime deltas after it.
    for (const line of stdout.trim().split('\n')) expect(line).toMatch(/batch v1 to raven-0@99 \+ realtime to raven-0@\d+$/);
  });

  it('logs as structured JSON on stderr at the chosen level', async () => {
    const quiet = await runBarista(['--log-level', 'error', 'dev', '--top', '1']);
    expect(quiet.stderr).toBe('');
    const chatty = await runBarista(['--log-level', 'info', 'dev', '--top', '1']);
    const lines = chatty.stderr.trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.some((line) => line.msg === 'word count done' && line.level === 30)).toBe(true);
  });

  it('rejects an unknown log level and a bad --top with a usage error', async () => {
    const badLevel = await runBarista(['--log-level', 'loud', 'dev']);
    expect(badLevel.code).not.toBe(0);
    expect(badLevel.stderr).toMatch(/Allowed choices are fatal, error/);
    const badTop = await runBarista(['dev', '--top', 'many']);
    expect(badTop.code).not.toBe(0);
    expect(badTop.stderr).toMatch(/expected a positive integer, got "many"/);
  });

  it('up refuses a cluster size outside 1..7 before starting anything', async () => {
    const { code, stderr } = await runBarista(['up', '--nodes', '8']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--nodes 8: expected an integer from 1 to 7/);
  });

  it.each(['nimbus', 'supervisor', 'list'])('%s without --coord is a usage error', async (command) => {
    const { code, stderr } = await runBarista([command]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/required option '--coord <connect>' not specified/);
  });
});
