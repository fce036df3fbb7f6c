/** Step 5, the counter: hands the drink over. The saga ends here with the 'delivered' event. */
import { isTickTuple, type BasicOutputCollector, type Tuple } from '../../core/topology/api/index.js';
import { SagaStepBolt } from './saga-step.js';

export class DeliverBolt extends SagaStepBolt {
  protected override readonly passesOrdersOn = false;

  execute(input: Tuple, collector: BasicOutputCollector): void {
    if (isTickTuple(input)) return;
    this.record(collector, this.orderOf(input), 'delivered');
  }
}
