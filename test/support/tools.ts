/**
 * External tools the compatibility suites run (redis-server, kcat, ZooKeeper, Python clients).
 * `.ci/run` installs all of them, so under STRICT=1 a missing tool is a failure, never a skip;
 * outside STRICT (a developer's laptop) the suite is skipped with one line saying what to install.
 */
import { describe, it } from '@jest/globals';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const STRICT = process.env.STRICT === '1';

export interface Tool {
  /** Executable name or absolute path. */
  command: string;
  /** Debian package that provides it. */
  debianPackage: string;
  /** For tools that are libraries: a command that exits 0 when they are present. */
  probe?: string[];
}

/** Debian's Python, which the python3-* packages install into (a pyenv python3 earlier on PATH lacks them). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export const TOOLS = {
  redisServer: { command: 'redis-server', debianPackage: 'redis-server' },
  redisCli: { command: 'redis-cli', debianPackage: 'redis-tools' },
  redisBenchmark: { command: 'redis-benchmark', debianPackage: 'redis-tools' },
  kcat: { command: 'kcat', debianPackage: 'kcat' },
  java: { command: 'java', debianPackage: 'default-jre-headless' },
  zookeeperJar: { command: '/usr/share/java/zookeeper.jar', debianPackage: 'zookeeper' },
  zkCli: { command: '/usr/share/zookeeper/bin/zkCli.sh', debianPackage: 'zookeeper' },
  kafkaPython: { command: DEBIAN_PYTHON, debianPackage: 'python3-kafka', probe: [DEBIAN_PYTHON, '-c', 'import kafka'] },
  kazoo: { command: DEBIAN_PYTHON, debianPackage: 'python3-kazoo', probe: [DEBIAN_PYTHON, '-c', 'import kazoo'] },
  confluentKafka: { command: DEBIAN_PYTHON, debianPackage: 'python3-confluent-kafka', probe: [DEBIAN_PYTHON, '-c', 'import confluent_kafka'] },
} as const satisfies Record<string, Tool>;

function onPath(command: string): string | undefined {
  const candidates = command.includes('/') ? [command] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, command.endsWith('.jar') ? constants.R_OK : constants.X_OK);
      return candidate;
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

/** The missing tools among those given, as "command (Debian package)" strings. */
export function missingTools(tools: readonly Tool[]): string[] {
  return tools
    .filter((tool) => {
      if (onPath(tool.command) === undefined) return true;
      if (tool.probe) return spawnSync(tool.probe[0]!, tool.probe.slice(1), { stdio: 'ignore' }).status !== 0;
      return false;
    })
    .map((tool) => `${tool.command} (Debian package ${tool.debianPackage})`);
}

/**
 * describe() when every tool is present. When one is missing: under STRICT=1 a failing test that
 * names it; otherwise a skipped suite and one line on stderr.
 */
export function describeWithTools(tools: readonly Tool[], title: string, body: () => void): void {
  const missing = missingTools(tools);
  if (missing.length === 0) {
    describe(title, body);
  } else if (STRICT) {
    describe(title, () => {
      it('has its external tools installed (STRICT=1)', () => {
        throw new Error(`missing: ${missing.join(', ')}; .ci/run installs them with apt-get`);
      });
    });
  } else {
    process.stderr.write(`skipping "${title}": missing ${missing.join(', ')} (set STRICT=1 to make this a failure)\n`);
    describe.skip(title, body);
  }
}

export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tool` with `args`, feeding `input` on stdin; asynchronous, so a server running in this
 * process (an in-process broker) keeps serving while the tool talks to it. */
export function runTool(tool: Tool, args: readonly string[], input = ''): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(tool.command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
