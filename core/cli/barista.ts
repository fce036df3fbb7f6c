#!/usr/bin/env node
/** The `barista` command: one binary for every service and tool of the project. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger, LOG_LEVELS, type Logger } from '../telemetry/logger.js';
import { runBroker, type BrokerCommandOptions } from './broker.js';
import { runServe } from './serve.js';
import { runQuery, type QueryCommandOptions } from './query.js';
import { runCoord } from './coord.js';
import { DEV_DEFAULTS, formatDevEndpoints, formatDevWord, startDev, type DevOptions } from './dev.js';
import { collectJobArgument, runBatch, type BatchCommandOptions } from './batch.js';
import { runNimbus, type NimbusCommandOptions } from './nimbus.js';
import { runSupervisor, type SupervisorCommandOptions } from './supervisor.js';
import { DEFAULT_FIRST_SLOT_PORT } from '../topology/cluster/limits.js';
import { runKill, runList, runRebalance, runSetActive, runSubmit, type SubmitCommandOptions } from './submit.js';
import { packageVersion, ravenPath } from './package-root.js';
import { runUp, type UpCommandOptions } from './up.js';
import { DEFAULT_PORTS_SUMMARY, DEFAULT_SLOTS_PER_NODE, DEFAULT_UP_DATA_DIR } from './up-plan.js';
import { exitWithParent } from './exit-with-parent.js';
import { addLogAdminCommands } from './log-admin-commands.js';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return parsed;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return parsed;
}

function buildProgram(): Command {
  const program = new Command('barista')
    .description('Barista: a Lambda architecture in TypeScript — log, coordination, stream, batch and serving layers')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('--log-level <level>', 'log verbosity on stderr').choices(LOG_LEVELS).default('info'))
    .addOption(new Option('--exit-with-parent', 'stop when the parent process is gone (it must spawn this one with an IPC channel; barista up does)').hideHelp())
    .hook('preAction', () => {
      if (program.opts<{ exitWithParent?: boolean }>().exitWithParent === true) exitWithParent();
    })
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode));

  const logger = (name: string): Logger => createLogger({ name, level: program.opts<{ logLevel: string }>().logLevel });

  program
    .command('dev')
    .description('run everything embedded on localhost: the word-count Lambda view over The Raven, a query of the top words, then keep serving until Ctrl-C')
    .option('--input <file>', 'text to count, produced line by line into the log', ravenPath())
    .option('--top <n>', 'how many words to print', positiveInteger, 10)
    .option('--view <name>', 'serving view holding the counts', DEV_DEFAULTS.view)
    .option('--topic <name>', 'log topic the lines go to', DEV_DEFAULTS.topic)
    .option('--coord-port <port>', 'coord (ZooKeeper protocol) port', positiveInteger, DEV_DEFAULTS.coordPort)
    .option('--kafka-port <port>', 'log broker (Kafka protocol) port', positiveInteger, DEV_DEFAULTS.kafkaPort)
    .option('--redis-port <port>', 'serving node (Redis protocol) port', positiveInteger, DEV_DEFAULTS.redisPort)
    .option('--batch-cron <expr>', 'node-cron schedule of the batch recompute after the first (seconds first)', DEV_DEFAULTS.batchCron)
    .option('--once', 'print the top words and stop instead of running until interrupted')
    .option('--kafka <host:port>', 'use this Kafka broker instead of the embedded one (creates the topic, 1 partition, if missing)')
    .option('--zookeeper <connect>', 'keep the spout offsets in this ZooKeeper ensemble (host:port,...); the embedded broker and serving node register there, and no coord is embedded')
    .option('--redis <host:port>', 'keep the view in this Redis (7.0+) or serving node instead of the embedded serving node')
    .action(async (options: Omit<DevOptions, 'once'> & { once?: boolean }) => {
      const devOptions: DevOptions = { ...options, once: options.once === true };
      const session = await startDev(devOptions, logger('dev'));
      for (const entry of session.words) process.stdout.write(`${formatDevWord(entry)}\n`);
      if (devOptions.once) {
        await session.stop();
        return;
      }
      process.stdout.write(formatDevEndpoints(session, devOptions));
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        process.stdout.write('barista dev: stopping\n');
        void session.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  program
    .command('coord')
    .description('run a coordination server (ZooKeeper protocol, Raft-replicated); alone it is a single-server ensemble')
    .option('--id <n>', 'this server\'s id (1..255)', positiveInteger, 1)
    .option('--peers <list>', 'server-to-server addresses of every member: 1=host:port,2=host:port,3=host:port')
    .option('--data-dir <dir>', 'where the Raft log and snapshots live (default .barista/coord-<id>)')
    .option('--port <port>', 'client port (ZooKeeper protocol)', positiveInteger, 2181)
    .option('--host <host>', 'client interface to bind', '127.0.0.1')
    .option('--tick-time <ms>', 'ZooKeeper tickTime: session timeouts are 2..20 ticks', positiveInteger, 2000)
    .option('--metrics-port <port>', 'serve Prometheus metrics at http://127.0.0.1:<port>/metrics', positiveInteger)
    .option('--peer-secret-file <file>', 'cluster secret (16+ bytes, same file on every member): peers must prove it before the peer port acts on anything; absent: unauthenticated')
    .action(async (options: { id: number; peers?: string; dataDir?: string; port: number; host: string; tickTime: number; metricsPort?: number; peerSecretFile?: string }) => {
      await runCoord(options, logger('coord'));
    });

  program
    .command('broker')
    .description('run a log broker (Kafka protocol) in the cluster its coord holds; replicated partitions, controller elected through coord')
    .option('--id <n>', 'broker id', positiveInteger, 1)
    .option('--port <port>', 'Kafka protocol port', positiveInteger, 9092)
    .option('--host <host>', 'interface to bind (and to advertise)', '127.0.0.1')
    .option('--advertised-listener <host:port>', 'the address clients and other brokers dial, when not --host:--port (a proxy or NAT in front; Kafka\'s advertised.listeners)')
    .option('--data-dir <dir>', 'where partition logs live (default .barista/broker-<id>)')
    .option('--partitions <n>', 'partitions of an auto-created topic', positiveInteger, 1)
    .option('--no-auto-create', 'answer UNKNOWN_TOPIC_OR_PARTITION instead of creating topics on first use')
    .option('--coord <connect>', 'coord ensemble to register in (/brokers/ids/<id>), e.g. 127.0.0.1:2181; absent: an embedded single-server coord')
    .option('--coord-session-timeout <ms>', 'coord session timeout: how long a crashed broker stays registered', positiveInteger)
    .option('--replication-factor <n>', 'replicas of an auto-created topic (default.replication.factor)', positiveInteger, 1)
    .option('--min-insync-replicas <n>', 'ISR size an acks=all produce needs (min.insync.replicas)', positiveInteger, 1)
    .option('--replica-lag-time-max <ms>', 'how long a follower may lag before leaving the ISR (replica.lag.time.max.ms)', positiveInteger, 30_000)
    .option('--sasl-users <file>', 'JSON users file (PLAIN / SCRAM-SHA-256/512 secrets): turns on SASL authentication and ACLs (docs/log.md)')
    .option('--acls <file>', 'JSON ACL rules (topic/group/cluster, read/write/create/delete/describe/alter/all); absent with --sasl-users: only super users may act')
    .option('--super-users <names>', 'comma-separated users every ACL check allows (super.users)')
    .option('--inter-broker-user <name>', 'user from --sasl-users this broker\'s replica fetchers authenticate as (a super user)')
    .action(async (options: BrokerCommandOptions) => {
      await runBroker(options, logger('broker'));
    });

  program
    .command('serve')
    .description('run a serving node: Redis protocol in front of a quorum-replicated store (consistent hashing, N/R/W, hinted handoff, Paxos for SET NX and INCR)')
    .option('--id <id>', 'node id (stable across restarts: it names the node in the ring)', 'serve-1')
    .option('--port <port>', 'Redis protocol port', positiveInteger, 6380)
    .option('--peer-port <port>', 'port other serving nodes call (0: any free port)', nonNegativeInteger, 0)
    .option('--advertise-peer-port <port>', 'the peer port other nodes should dial (a proxy in front of --peer-port)', positiveInteger)
    .option('--host <host>', 'interface to bind (and to advertise)', '127.0.0.1')
    .option('--data-dir <dir>', 'where data, Paxos state and hints live (default .barista/serve-<id>)')
    .option('--coord <connect>', 'coord ensemble holding the ring and the live nodes; absent: an embedded single-server coord')
    .option('-n, --replicas <n>', 'replicas per key (N)', positiveInteger, 3)
    .option('-r, --read-quorum <r>', 'replicas a read waits for (R)', positiveInteger, 2)
    .option('-w, --write-quorum <w>', 'replicas a write waits for (W)', positiveInteger, 2)
    .option('--fsync <policy>', 'always | interval | never', 'interval')
    .option('--peer-secret-file <file>', 'cluster secret (16+ bytes, same file on every node): peers must prove it before the peer port acts on anything; absent: unauthenticated')
    .action(async (options: { id: string; port: number; peerPort: number; advertisePeerPort?: number; host: string; dataDir?: string; coord?: string; replicas: number; readQuorum: number; writeQuorum: number; fsync: string; peerSecretFile?: string }) => {
      if (!['always', 'interval', 'never'].includes(options.fsync)) throw new Error(`--fsync must be always, interval or never, not '${options.fsync}'`);
      await runServe({ ...options, n: options.replicas, r: options.readQuorum, w: options.writeQuorum, fsync: options.fsync as 'always' | 'interval' | 'never' }, logger('serve'));
    });

  program
    .command('query')
    .description('ask a serving node for a view: the batch value merged with the realtime deltas after its cut-offs (VIEW.GET), or its top keys (VIEW.TOP)')
    .argument('<view>', 'view name')
    .argument('[key]', 'key to look up; absent: the top keys')
    .option('--host <host>', 'serving node host', '127.0.0.1')
    .option('--port <port>', 'serving node Redis-protocol port', positiveInteger, 6380)
    .option('--top <n>', 'how many top keys without a key', positiveInteger, 10)
    .action(async (view: string, key: string | undefined, options: QueryCommandOptions) => {
      await runQuery(view, key, options);
    });

  program
    .command('batch')
    .description('run a batch job module once (--now) or on a cron schedule (--cron); with --coord one scheduler per job across machines')
    .argument('<job-module>', 'compiled job module (.js or .mjs); TypeScript jobs must be compiled first: npm run build puts examples/… into dist/examples/…')
    .option('--cron <expr>', 'node-cron schedule, 5 or 6 fields (seconds first), e.g. "*/5 * * * *"')
    .option('--now', 'run once now (with --cron: also at start); alone, prints the job\'s JSON result on stdout')
    .option('--name <name>', 'job name for the election and run records (default: <directory>-<file> of the module)')
    .option('--coord <connect>', 'coord ensemble for leader election and run records, e.g. 127.0.0.1:2181; absent: local, no election')
    .option('--coord-session-timeout <ms>', 'coord session timeout: how long a crashed scheduler keeps the lead', positiveInteger)
    .addOption(new Option('--arg <key=value>', 'job argument (repeatable)').argParser(collectJobArgument).default({}, 'none'))
    .option('--state-dir <dir>', 'without --coord: where run records live', '.barista/batch')
    .option('--executors <n>', 'worker-thread executors (default: tasks run in this thread)', positiveInteger)
    .action(async (modulePath: string, options: BatchCommandOptions) => {
      await runBatch(modulePath, options, logger('batch'));
    });

  addTopologyCommands(program, logger);
  addLogAdminCommands(program);

  program
    .command('up')
    .description('start a cluster on this machine as child processes (coord ensemble, brokers, serving nodes, nimbus, supervisors); Ctrl-C stops it')
    .option('--nodes <n>', 'coord servers, brokers, serving nodes and supervisors (1..7)', positiveInteger, 3)
    .option('--base-port <port>', `put every port in the 100 from here (default: ${DEFAULT_PORTS_SUMMARY})`, positiveInteger)
    .option('--data-dir <dir>', 'where data and logs/<service>.log live', DEFAULT_UP_DATA_DIR)
    .option('--slots <n>', 'worker slots per supervisor', positiveInteger, DEFAULT_SLOTS_PER_NODE)
    .option('--nimbuses <n>', 'nimbus processes (one leads, the others stand by)', positiveInteger, 1)
    .action(async (options: UpCommandOptions) => {
      await runUp(options, program.opts<{ logLevel: string }>().logLevel);
    });
  return program;
}

/** Distributed topologies: nimbus, supervisor and the admin commands (all through coord). */
function addTopologyCommands(program: Command, logger: (name: string) => Logger): void {
  const coordOption = () => new Option('--coord <connect>', 'coord ensemble, e.g. 127.0.0.1:2181').makeOptionMandatory();
  program
    .command('nimbus')
    .description('run the topology master: validates submissions, assigns tasks to supervisor slots, reassigns when supervisors or workers die; several may run (one leads)')
    .addOption(coordOption())
    .option('--data-dir <dir>', 'where uploaded modules are written to be loaded', '.barista/nimbus')
    .option('--coord-session-timeout <ms>', 'how long a crashed leader keeps the lead', positiveInteger)
    .action(async (options: NimbusCommandOptions) => {
      await runNimbus(options, logger('nimbus'));
    });
  program
    .command('supervisor')
    .description('run a topology supervisor: offers worker slots on this host and runs the workers nimbus assigns to them')
    .addOption(coordOption())
    .option('--slots <n>', 'worker slots (ports from --first-port)', positiveInteger, 4)
    .option('--first-port <port>', 'port of the first slot', positiveInteger, DEFAULT_FIRST_SLOT_PORT)
    .option('--slot-ports <list>', 'explicit slot ports, comma-separated (overrides --slots)')
    .option('--host <host>', 'host workers listen on and peers dial', '127.0.0.1')
    .option('--id <id>', 'supervisor id (default <host>-<first slot port>)')
    .option('--data-dir <dir>', 'local modules and assignment files (default .barista/supervisor-<id>)')
    .option('--coord-session-timeout <ms>', 'how long a crashed supervisor stays registered before nimbus moves its workers', positiveInteger)
    .action(async (options: SupervisorCommandOptions) => {
      await runSupervisor(options, logger('supervisor'));
    });
  program
    .command('submit')
    .description('bundle a topology module (.ts or .js; default export (args) => ({ topology, config })) and submit it to nimbus')
    .argument('<module>', 'topology module; your own files it imports go into the bundle, Barista and npm packages come from each machine\'s Barista (same version everywhere)')
    .addOption(coordOption())
    .requiredOption('--name <name>', 'topology name')
    .option('--workers <n>', 'worker processes', positiveInteger, 1)
    .addOption(new Option('--arg <key=value>', 'module argument (repeatable)').argParser(collectJobArgument).default({}, 'none'))
    .option('--inactive', 'start with spouts paused')
    .action(async (modulePath: string, options: SubmitCommandOptions) => {
      await runSubmit(modulePath, options);
    });
  program
    .command('list')
    .description('list topologies: name, status, workers running/wanted, uptime, error')
    .addOption(coordOption())
    .option('--json', 'print JSON')
    .action(async (options: { coord: string; json?: boolean }) => {
      await runList(options);
    });
  program
    .command('kill')
    .description('stop a topology\'s workers and remove it')
    .argument('<name>')
    .addOption(coordOption())
    .action(async (name: string, options: { coord: string }) => {
      await runKill(name, options);
    });
  for (const [command, active] of [['activate', true], ['deactivate', false]] as const) {
    program
      .command(command)
      .description(active ? 'resume a topology\'s spouts' : 'pause a topology\'s spouts (workers keep running)')
      .argument('<name>')
      .addOption(coordOption())
      .action(async (name: string, options: { coord: string }) => {
        await runSetActive(name, active, options);
      });
  }
  program
    .command('rebalance')
    .description('spread a topology over a new number of workers (its workers restart: in-memory bolt state restarts too)')
    .argument('<name>')
    .addOption(coordOption())
    .requiredOption('--workers <n>', 'worker processes', positiveInteger)
    .action(async (name: string, options: { coord: string; workers: number }) => {
      await runRebalance(name, options);
    });
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`barista: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  });
