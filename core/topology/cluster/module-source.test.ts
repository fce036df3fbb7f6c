import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunksOf, materializeModule, rewriteRelativeImports, sha256Of } from './module-source.js';

describe('topology module source', () => {
  it('makes relative imports absolute file URLs and leaves bare ones alone', () => {
    const source = "import { a } from './a.js';\nimport b from \"../lib/b.js\";\nexport { c } from './c.js';\nimport 'rxjs';\nconst d = await import('./d.js');\n";
    const rewritten = rewriteRelativeImports(source, '/repo/dist/topologies/main.js');
    expect(rewritten).toBe("import { a } from 'file:///repo/dist/topologies/a.js';\nimport b from \"file:///repo/dist/lib/b.js\";\nexport { c } from 'file:///repo/dist/topologies/c.js';\nimport 'rxjs';\nconst d = await import('file:///repo/dist/topologies/d.js');\n");
  });

  it('splits content into chunks that join back to it', () => {
    const content = Buffer.from('x'.repeat(10));
    expect(chunksOf(content, 4).map((chunk) => chunk.toString())).toEqual(['xxxx', 'xxxx', 'xx']);
    expect(Buffer.concat(chunksOf(content, 4)).equals(content)).toBe(true);
    expect(chunksOf(Buffer.alloc(0), 4)).toHaveLength(1);
  });

  it('writes a module once under its content hash', () => {
    const directory = mkdtempSync(join(tmpdir(), 'barista-module-'));
    try {
      const content = Buffer.from('export default () => 1;\n');
      const path = materializeModule(directory, content);
      expect(path).toBe(join(directory, `${sha256Of(content)}.mjs`));
      expect(materializeModule(directory, content)).toBe(path);
      expect(readFileSync(path, 'utf8')).toBe(content.toString());
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
