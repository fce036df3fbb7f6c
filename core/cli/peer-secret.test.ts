/**
 * `--peer-secret-file` as an operator meets it: a secret file that is missing or too short stops
 * `barista coord` and `barista serve` at start with one line saying what to do, before any port opens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBarista } from '../../test/support/barista.js';
import { freePort } from '../../test/support/ports.js';

describe('--peer-secret-file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'peer-secret-'));
    writeFileSync(join(dir, 'short'), 'abc\n', { mode: 0o600 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a secret shorter than 16 bytes, saying how to make one', async () => {
    const coord = await runBarista(['coord', '--port', String(await freePort()), '--data-dir', join(dir, 'coord'), '--peer-secret-file', join(dir, 'short')]);
    expect(coord.code).not.toBe(0);
    expect(coord.stderr).toMatch(/has 3 bytes; use at least 16 random bytes/);
    const serve = await runBarista(['serve', '--port', String(await freePort()), '--data-dir', join(dir, 'serve'), '--peer-secret-file', join(dir, 'short')]);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toMatch(/has 3 bytes; use at least 16 random bytes/);
  });

  it('refuses a secret file it cannot read, naming it', async () => {
    const missing = join(dir, 'missing');
    const coord = await runBarista(['coord', '--port', String(await freePort()), '--data-dir', join(dir, 'coord'), '--peer-secret-file', missing]);
    expect(coord.code).not.toBe(0);
    expect(coord.stderr).toContain(`cannot read the peer secret file ${missing}`);
  });
});
