/**
 * Stage progress of a run, for people and for CI: on a terminal one cli-progress bar per stage
 * (tasks done / tasks), otherwise plain log lines — a stage's start, its end, and in between at
 * most one line per PROGRESS_LOG_INTERVAL_MS, so a CI log stays readable.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Logger } from '../../core/telemetry/logger.js';
import type { StageProgress } from '../scheduler/dag-scheduler.js';
import { PROGRESS_LOG_INTERVAL_MS } from './limits.js';

export interface ProgressReporter {
  readonly onProgress: (progress: StageProgress) => void;
  /** Stops the bars (the terminal keeps their last state). */
  finish(): void;
}

export interface ProgressOptions {
  readonly logger: Logger;
  /** Where bars are drawn; bars only when it is a TTY (default process.stderr). */
  readonly stream?: NodeJS.WriteStream;
  readonly nowMs?: () => number;
}

const stageKey = (progress: StageProgress): string => `${progress.jobIndex}/${progress.stageId}`;

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY === true ? barReporter(stream) : logReporter(options.logger, options.nowMs ?? Date.now);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bars = new MultiBar({ stream, hideCursor: true, clearOnComplete: false, format: ' job {job} stage {stage} |{bar}| {value}/{total} tasks' }, Presets.shades_classic);
  const byStage = new Map<string, SingleBar>();
  return {
    onProgress(progress) {
      const key = stageKey(progress);
      const bar = byStage.get(key);
      const payload = { job: progress.jobIndex, stage: progress.name };
      if (bar === undefined) byStage.set(key, bars.create(progress.total, progress.done, payload));
      else bar.update(progress.done, payload);
    },
    finish: () => bars.stop(),
  };
}

function logReporter(logger: Logger, nowMs: () => number): ProgressReporter {
  const lastLoggedMs = new Map<string, number>();
  return {
    onProgress(progress) {
      const key = stageKey(progress);
      const fields = { jobIndex: progress.jobIndex, stageId: progress.stageId, stage: progress.name, done: progress.done, total: progress.total };
      const previous = lastLoggedMs.get(key);
      if (progress.done >= progress.total) {
        lastLoggedMs.delete(key);
        logger.info(fields, 'stage finished');
      } else if (previous === undefined) {
        lastLoggedMs.set(key, nowMs());
        logger.info(fields, 'stage started');
      } else if (nowMs() - previous >= PROGRESS_LOG_INTERVAL_MS) {
        lastLoggedMs.set(key, nowMs());
        logger.info(fields, 'stage progress');
      }
    },
    finish: () => lastLoggedMs.clear(),
  };
}
