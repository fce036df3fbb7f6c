/**
 * Cron expressions are checked by node-cron itself before anything is scheduled, so a typo fails
 * at start with the field it concerns rather than never firing.
 */
import { validateDetailed } from 'node-cron';
import { InvalidCronExpressionError } from './errors.js';

/** Returns the expression unchanged when node-cron accepts it; throws InvalidCronExpressionError otherwise. */
export function checkCronExpression(expression: string): string {
  let detail: string;
  try {
    const validation = validateDetailed(expression);
    if (validation.valid) return expression;
    detail = validation.errors.map((error) => `${error.field}${error.value === undefined ? '' : ` "${error.value}"`}: ${error.message}`).join('; ') || 'rejected by node-cron';
  } catch (error) {
    detail = (error as Error).message;
  }
  throw new InvalidCronExpressionError(expression, detail);
}
