import { describe, expect, it } from '@jest/globals';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { ViewCatalog } from './catalog.js';
import { CorruptViewRecordError, InvalidViewArgumentError, UnknownMonoidError, UnknownViewError, ViewExistsError } from './errors.js';
import { DEFAULT_BUCKET_OFFSETS } from './limits.js';
import { definitionKey } from './view-keys.js';

describe('view catalog', () => {
  it('stores definitions in the keyspace, so another catalog (another node) knows them', async () => {
    const keyspace = new MemoryKeyspace();
    const { definition, created } = await new ViewCatalog({ keyspace }).create('words', 'SUM');
    expect(created).toBe(true);
    expect(definition.bucketOffsets).toBe(DEFAULT_BUCKET_OFFSETS);
    const elsewhere = await new ViewCatalog({ keyspace }).get('words');
    expect(elsewhere.monoid.spec).toBe('sum');
    expect(elsewhere.bucketOffsets).toBe(DEFAULT_BUCKET_OFFSETS);
  });

  it('accepts creating a view again with the same definition, and refuses another one', async () => {
    const catalog = new ViewCatalog({ keyspace: new MemoryKeyspace() });
    await catalog.create('tags', 'topn:5', { bucketOffsets: 10 });
    expect((await catalog.create('tags', 'TOPN:5', { bucketOffsets: 10 })).created).toBe(false);
    await expect(catalog.create('tags', 'topn:6', { bucketOffsets: 10 })).rejects.toThrow(ViewExistsError);
    await expect(catalog.create('tags', 'topn:5')).rejects.toThrow("view 'tags' already exists as topn:5 with buckets of 10 offsets, not topn:5 with buckets of 1000 offsets");
  });

  it('refuses bad names, monoids and buckets, and reports unknown views', async () => {
    const catalog = new ViewCatalog({ keyspace: new MemoryKeyspace() });
    await expect(catalog.create('a:b', 'sum')).rejects.toThrow(InvalidViewArgumentError);
    await expect(catalog.create('', 'sum')).rejects.toThrow(InvalidViewArgumentError);
    await expect(catalog.create('ok', 'avg')).rejects.toThrow(UnknownMonoidError);
    await expect(catalog.create('ok', 'sum', { bucketOffsets: 0 })).rejects.toThrow(InvalidViewArgumentError);
    await expect(catalog.get('missing')).rejects.toThrow(UnknownViewError);
    expect(await catalog.find('missing')).toBeUndefined();
  });

  it('reports a definition it cannot decode as corrupt', async () => {
    const keyspace = new MemoryKeyspace();
    await keyspace.set(definitionKey('broken'), { value: Buffer.from('{"monoid":"avg","bucketOffsets":1}') });
    await expect(new ViewCatalog({ keyspace }).get('broken')).rejects.toThrow(CorruptViewRecordError);
  });
});
