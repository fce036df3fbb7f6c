/**
 * Joins two input streams within each window (Storm's JoinBolt, for two inputs): tuples of the
 * left and right input with equal key values are joined, and each pair is emitted with the
 * selected fields. Inputs are told apart by source component or by stream id (`by`). An inner join
 * emits matched pairs only; a left join also emits each unmatched left tuple, with null for the
 * right side's fields. Tuples from any other input are ignored (and acked on expiry).
 *
 * Run it with `windowed(new WindowedJoinBolt({...}).withTumblingWindow(...))`, and group both
 * inputs by their key (fieldsGrouping) so matching tuples meet in the same task.
 *
 * Each joined tuple is anchored to the two tuples it was made from (a left-join miss to its left
 * tuple). Output order: left tuples in window order, each with its matches in window order.
 * Keys are compared with SameValueZero (Map keys): 1 and '1' do not match.
 */
import type { OutputCollector } from '../core/topology/api/bolt.js';
import type { Tuple } from '../core/topology/api/tuple.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { BaseWindowedBolt, InvalidWindowConfigError, type TupleWindow } from '../core/topology/windowing/index.js';

export interface JoinInput {
  /** Source component id, or stream id when joining `by: 'stream'`. */
  readonly source: string;
  readonly keyField: string;
}

export interface WindowedJoinOptions {
  readonly by: 'component' | 'stream';
  readonly left: JoinInput;
  readonly right: JoinInput;
  /** Default 'inner'. */
  readonly type?: 'inner' | 'left';
  /** Output fields: 'source:field' takes the field from that input, a bare 'field' from the left input if it has it, else the right. */
  readonly select: readonly string[];
}

interface Selection {
  readonly outputField: string;
  readonly side: 'left' | 'right' | 'either';
  readonly field: string;
}

export class WindowedJoinBolt extends BaseWindowedBolt {
  private readonly selections: readonly Selection[];

  constructor(private readonly options: WindowedJoinOptions) {
    super();
    if (options.left.source === options.right.source) throw new InvalidWindowConfigError(undefined, 'right.source', options.right.source, `a source other than the left input '${options.left.source}'`);
    this.selections = options.select.map((entry) => this.parseSelection(entry));
    const names = this.selections.map((selection) => selection.outputField);
    if (names.length === 0 || new Set(names).size !== names.length) throw new InvalidWindowConfigError(undefined, 'select', options.select, 'at least one field, each output name once');
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.selections.map((selection) => selection.outputField));
  }

  execute(window: TupleWindow, collector: OutputCollector): void {
    const { left, right } = this.options;
    const rightByKey = new Map<unknown, Tuple[]>();
    const lefts: Tuple[] = [];
    for (const tuple of window.get()) {
      const source = this.sourceOf(tuple);
      if (source === left.source) lefts.push(tuple);
      else if (source === right.source) {
        const key = tuple.getValueByField(right.keyField);
        const matches = rightByKey.get(key);
        if (matches === undefined) rightByKey.set(key, [tuple]);
        else matches.push(tuple);
      }
    }
    for (const leftTuple of lefts) {
      const matches = rightByKey.get(leftTuple.getValueByField(left.keyField));
      if (matches !== undefined) for (const rightTuple of matches) collector.emit([leftTuple, rightTuple], this.project(leftTuple, rightTuple));
      else if (this.options.type === 'left') collector.emit([leftTuple], this.project(leftTuple, undefined));
    }
  }

  private sourceOf(tuple: Tuple): string {
    return this.options.by === 'component' ? tuple.sourceComponent : tuple.sourceStreamId;
  }

  private project(leftTuple: Tuple, rightTuple: Tuple | undefined): unknown[] {
    return this.selections.map(({ side, field }) => {
      if (side === 'left' || (side === 'either' && leftTuple.contains(field))) return leftTuple.getValueByField(field);
      return rightTuple === undefined ? null : rightTuple.getValueByField(field);
    });
  }

  private parseSelection(entry: string): Selection {
    const colon = entry.indexOf(':');
    if (colon < 0) return { outputField: entry, side: 'either', field: entry };
    const source = entry.slice(0, colon);
    const field = entry.slice(colon + 1);
    const side = source === this.options.left.source ? 'left' : source === this.options.right.source ? 'right' : undefined;
    if (side === undefined || field.length === 0) throw new InvalidWindowConfigError(undefined, 'select', entry, `'field' or 'source:field' with source '${this.options.left.source}' or '${this.options.right.source}'`);
    return { outputField: field, side, field };
  }
}
