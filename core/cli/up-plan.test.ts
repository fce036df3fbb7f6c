import { describe, expect, it } from '@jest/globals';
import { join, resolve } from 'node:path';
import { InvalidUpOptionError, minInsyncReplicasFor, planCluster, plannedPorts, servingQuorums, stopGroups, type UpOptions } from './up-plan.js';

const options = (overrides: Partial<UpOptions> = {}): UpOptions => ({ nodes: 3, dataDir: '/tmp/up', slots: 2, nimbuses: 1, logLevel: 'info', ...overrides });

/** The value after `flag` in a service's arguments. */
const flag = (args: readonly string[], name: string): string | undefined => {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
};

describe('barista up plan', () => {
  it('has N coord servers, brokers, serving nodes and supervisors, and the nimbuses asked for', () => {
    for (const nodes of [1, 3, 7]) {
      const plan = planCluster(options({ nodes, nimbuses: 2 }));
      const count = (kind: string) => plan.services.filter((service) => service.kind === kind).length;
      expect([count('coord'), count('broker'), count('serve'), count('supervisor'), count('nimbus')]).toEqual([nodes, nodes, nodes, nodes, 2]);
    }
  });

  it('takes the familiar ports plus 10000 without --base-port, leaving the familiar ones to barista dev', () => {
    const plan = planCluster(options());
    expect(plan.coordConnect).toBe('127.0.0.1:12181,127.0.0.1:12182,127.0.0.1:12183');
    expect(plan.bootstrap).toBe('127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094');
    expect(plan.services.filter((service) => service.kind === 'serve').map((service) => service.address)).toEqual(['127.0.0.1:16380', '127.0.0.1:16381', '127.0.0.1:16382']);
    expect(flag(plan.services.find((service) => service.name === 'coord-2')!.args, '--peers')).toBe('1=127.0.0.1:12888,2=127.0.0.1:12889,3=127.0.0.1:12890');
    expect(flag(plan.services.find((service) => service.name === 'supervisor-3')!.args, '--slot-ports')).toBe('16704,16705');
  });

  it('puts every port in the 100 from --base-port, none twice, for any size', () => {
    for (const nodes of [1, 2, 3, 5, 7]) {
      const plan = planCluster(options({ nodes, basePort: 40_000, slots: 7 }));
      const ports = plannedPorts(plan).map((planned) => planned.port);
      expect(new Set(ports).size).toBe(ports.length);
      for (const port of ports) expect(port >= 40_000 && port < 40_100).toBe(true);
    }
  });

  it('gives every coord server and serving node the one peer secret file in the cluster\'s data dir, and nothing else it', () => {
    for (const nodes of [1, 3]) {
      const plan = planCluster(options({ nodes }));
      expect(plan.peerSecretFile).toBe(resolve('/tmp/up', 'peer-secret'));
      for (const service of plan.services) expect(flag(service.args, '--peer-secret-file')).toBe(['coord', 'serve'].includes(service.kind) ? plan.peerSecretFile : undefined);
    }
  });

  it('gives a single coord server no Raft peers, and every member of an ensemble the same peer list with its own id', () => {
    expect(planCluster(options({ nodes: 1 })).services[0]!.args).not.toContain('--peers');
    const coords = planCluster(options({ nodes: 5 })).services.filter((service) => service.kind === 'coord');
    expect(new Set(coords.map((coord) => flag(coord.args, '--peers'))).size).toBe(1);
    for (const coord of coords) expect(flag(coord.args, '--peers')).toContain(`${coord.index}=`);
  });

  it('replicates three ways at most, and lets one replica be down (R + W > N for serving)', () => {
    expect([1, 2, 3, 7].map((nodes) => planCluster(options({ nodes })).replicationFactor)).toEqual([1, 2, 3, 3]);
    expect([1, 2, 3].map(minInsyncReplicasFor)).toEqual([1, 1, 2]);
    expect(servingQuorums(1)).toEqual({ n: 1, r: 1, w: 1 });
    expect(servingQuorums(2)).toEqual({ n: 2, r: 1, w: 2 });
    expect(servingQuorums(5)).toEqual({ n: 3, r: 2, w: 2 });
    const broker = planCluster(options()).services.find((service) => service.kind === 'broker')!;
    expect([flag(broker.args, '--replication-factor'), flag(broker.args, '--min-insync-replicas')]).toEqual(['3', '2']);
  });

  it('runs every service with --exit-with-parent, its own data dir and log under --data-dir', () => {
    const plan = planCluster(options({ dataDir: 'relative/up' }));
    for (const service of plan.services) {
      expect(service.args.slice(0, 3)).toEqual(['--log-level', 'info', '--exit-with-parent']);
      expect(service.dataDir).toBe(join(resolve('relative/up'), service.name));
      expect(service.logFile).toBe(join(resolve('relative/up'), 'logs', `${service.name}.log`));
      if (service.kind !== 'coord') expect(flag(service.args, '--coord')).toBe(plan.coordConnect);
    }
  });

  it('stops supervisors and nimbus first, then serving, brokers, and coord last', () => {
    const groups = stopGroups(planCluster(options({ nimbuses: 2 }))).map((group) => [...new Set(group.map((service) => service.kind))].sort());
    expect(groups).toEqual([['nimbus', 'supervisor'], ['serve'], ['broker'], ['coord']]);
  });

  it.each([
    [{ nodes: 0 }, '--nodes'],
    [{ nodes: 8 }, '--nodes'],
    [{ slots: 8 }, '--slots'],
    [{ nimbuses: 4 }, '--nimbuses'],
    [{ basePort: 65_500 }, '--base-port'],
  ])('refuses %j naming %s', (overrides, option) => {
    expect(() => planCluster(options(overrides))).toThrow(InvalidUpOptionError);
    expect(() => planCluster(options(overrides))).toThrow(option);
  });
});
