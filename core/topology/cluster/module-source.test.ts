import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../cli/package-root.js';
import { chunksOf, linkExternalImports, materializeModule, sha256Of } from './module-source.js';

describe('topology module source', () => {
  const root = packageRoot();

  it('links imports the bundle kept external to files of this installation and leaves the rest alone', () => {
    const source = [
      'import { TopologyBuilder } from "barista-external:barista/dist/core/topology/builder/topology-builder.js";',
      'import { map } from "barista-external:rxjs";',
      "const late = await import('barista-external:barista/dist/core/text/tokenize.js');",
      'import { readFileSync } from "node:fs";',
      'const text = "barista-external is only a name here";',
    ].join('\n');
    const linked = linkExternalImports(source).split('\n');
    expect(linked[0]).toBe(`import { TopologyBuilder } from "${pathToFileURL(join(root, 'dist/core/topology/builder/topology-builder.js')).href}";`);
    expect(linked[1]).toMatch(new RegExp(`^import \\{ map \\} from "${pathToFileURL(join(root, 'node_modules', 'rxjs')).href}/.+\\.js";$`));
    expect(linked[2]).toBe(`const late = await import('${pathToFileURL(join(root, 'dist/core/text/tokenize.js')).href}');`);
    expect(linked.slice(3)).toEqual(['import { readFileSync } from "node:fs";', 'const text = "barista-external is only a name here";']);
  });

  it('leaves an import this installation lacks for Node to report when the module is loaded', () => {
    expect(linkExternalImports('import "barista-external:barista/dist/core/no-such-file.js";')).toBe(`import "${pathToFileURL(join(root, 'dist/core/no-such-file.js')).href}";`);
    expect(linkExternalImports('import "barista-external:no-such-package-anywhere";')).toBe('import "no-such-package-anywhere";');
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
