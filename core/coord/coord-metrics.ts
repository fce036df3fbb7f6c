/** Gauges of one coordination server, read at scrape time (nothing to keep in sync). */
import { Gauge, type Registry } from 'prom-client';
import type { Replica } from './replication/replica.js';

export function registerCoordMetrics(registry: Registry, replica: Replica, connections: () => number): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('barista_coord_znodes', 'znodes in the local data tree', () => replica.tree.nodeCount());
  gauge('barista_coord_ephemerals', 'ephemeral znodes', () => replica.tree.ephemeralCount());
  gauge('barista_coord_sessions', 'sessions in the replicated session table', () => replica.tree.sessions().length);
  gauge('barista_coord_connections', 'client connections to this server', connections);
  gauge('barista_coord_raft_term', 'current Raft term', () => replica.status().term);
  gauge('barista_coord_raft_commit_index', 'highest Raft log index known committed', () => replica.status().commitIndex);
  gauge('barista_coord_is_leader', '1 on the leader (or a standalone server)', () => (['leader', 'standalone'].includes(replica.status().role) ? 1 : 0));
  gauge('barista_coord_last_zxid', 'zxid of the last applied write (low 53 bits)', () => Number(BigInt.asUintN(53, replica.tree.lastZxid)));
}
