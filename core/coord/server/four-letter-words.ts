/**
 * ZooKeeper's four-letter words on the client port: `ruok`, `srvr`, `stat`, `mntr`, `conf`,
 * `isro`. Operators and monitoring scripts written for ZooKeeper read these formats.
 */
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export interface ServerFacts {
  version: string;
  mode: string;
  serverId: number;
  zxid: bigint;
  nodeCount: number;
  ephemeralCount: number;
  approximateDataBytes: number;
  watchCount: number;
  connectionCount: number;
  outstandingRequests: number;
  packetsReceived: number;
  /** On the monotonic clock (monotonicNowMs). */
  startedAtMs: number;
  clientPort: number;
  tickTimeMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  dataDir: string;
  peers: string;
}

export const FOUR_LETTER_WORDS = new Set(['ruok', 'srvr', 'stat', 'mntr', 'conf', 'isro']);

export function answerFourLetterWord(word: string, facts: ServerFacts): string {
  const zxid = `0x${facts.zxid.toString(16)}`;
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'isro':
      return 'rw';
    case 'srvr':
    case 'stat':
      return [
        `Zookeeper version: ${facts.version}`,
        ...(word === 'stat' ? ['Clients:', ''] : []),
        `Latency min/avg/max: 0/0.0/0`,
        `Received: ${facts.packetsReceived}`,
        `Sent: ${facts.packetsReceived}`,
        `Connections: ${facts.connectionCount}`,
        `Outstanding: ${facts.outstandingRequests}`,
        `Zxid: ${zxid}`,
        `Mode: ${facts.mode}`,
        `Node count: ${facts.nodeCount}`,
        '',
      ].join('\n');
    case 'mntr':
      return (
        [
          ['zk_version', facts.version],
          ['zk_server_state', facts.mode],
          ['zk_znode_count', facts.nodeCount],
          ['zk_ephemerals_count', facts.ephemeralCount],
          ['zk_approximate_data_size', facts.approximateDataBytes],
          ['zk_watch_count', facts.watchCount],
          ['zk_num_alive_connections', facts.connectionCount],
          ['zk_outstanding_requests', facts.outstandingRequests],
          ['zk_packets_received', facts.packetsReceived],
          ['zk_uptime', monotonicNowMs() - facts.startedAtMs],
        ]
          .map(([key, value]) => `${key}\t${value}`)
          .join('\n') + '\n'
      );
    case 'conf':
      return (
        [
          `clientPort=${facts.clientPort}`,
          `dataDir=${facts.dataDir}`,
          `tickTime=${facts.tickTimeMs}`,
          `minSessionTimeout=${facts.minSessionTimeoutMs}`,
          `maxSessionTimeout=${facts.maxSessionTimeoutMs}`,
          `serverId=${facts.serverId}`,
          ...(facts.peers ? [facts.peers] : []),
        ].join('\n') + '\n'
      );
    default:
      return '';
  }
}
