/**
 * The stored form of a ring (the content of its coord znode): settings, node ids in join order
 * and the owner of every partition as big-endian u16s in base64. Reading checks everything
 * (MalformedRingError), so a corrupt znode is refused instead of routing keys to the wrong nodes.
 */
import { MalformedRingError } from './errors.js';
import { MAX_PARTITIONS, RING_FORMAT_VERSION } from './limits.js';
import { HashRing } from './ring.js';

export interface RingJson {
  readonly format: typeof RING_FORMAT_VERSION;
  readonly seed: number;
  readonly vnodesPerNode: number;
  readonly maxNodes: number;
  readonly distinctWindow: number;
  readonly nodes: readonly string[];
  /** Base64 of one big-endian u16 node index per partition. */
  readonly owners: string;
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

export function ringToJson(ring: HashRing): RingJson {
  const owners = ring.ownerTable();
  const bytes = Buffer.alloc(owners.length * 2);
  owners.forEach((owner, partition) => bytes.writeUInt16BE(owner, partition * 2));
  return {
    format: RING_FORMAT_VERSION,
    seed: ring.settings.seed,
    vnodesPerNode: ring.settings.vnodesPerNode,
    maxNodes: ring.settings.maxNodes,
    distinctWindow: ring.settings.distinctWindow,
    nodes: [...ring.nodes],
    owners: bytes.toString('base64'),
  };
}

export function ringFromJson(json: unknown): HashRing {
  if (typeof json !== 'object' || json === null) throw new MalformedRingError('not an object');
  const { format, seed, vnodesPerNode, maxNodes, distinctWindow, nodes, owners } = json as Partial<Record<keyof RingJson, unknown>>;
  // JSON.stringify, not String: String([{ toString: null }]) throws a TypeError of its own.
  if (format !== RING_FORMAT_VERSION) throw new MalformedRingError(`format ${JSON.stringify(format) ?? typeof format} is not ${RING_FORMAT_VERSION}`);
  for (const [name, value] of Object.entries({ seed, vnodesPerNode, maxNodes, distinctWindow })) {
    if (typeof value !== 'number') throw new MalformedRingError(`${name} is not a number`);
  }
  if (!Array.isArray(nodes)) throw new MalformedRingError('nodes is not an array');
  if (typeof owners !== 'string' || !BASE64_PATTERN.test(owners)) throw new MalformedRingError('owners is not base64');
  if (owners.length > Math.ceil((MAX_PARTITIONS * 2) / 3) * 4) throw new MalformedRingError(`more than ${MAX_PARTITIONS} partitions`);
  const bytes = Buffer.from(owners, 'base64');
  if (bytes.length % 2 !== 0) throw new MalformedRingError('owners has an odd number of bytes');
  const table = new Uint16Array(bytes.length / 2);
  for (let partition = 0; partition < table.length; partition++) table[partition] = bytes.readUInt16BE(partition * 2);
  try {
    const options = { seed: seed as number, vnodesPerNode: vnodesPerNode as number, maxNodes: maxNodes as number, distinctWindow: distinctWindow as number };
    return HashRing.fromTable(options, nodes, table);
  } catch (error) {
    if (error instanceof MalformedRingError) throw error;
    throw new MalformedRingError(error instanceof Error ? error.message : String(error));
  }
}
