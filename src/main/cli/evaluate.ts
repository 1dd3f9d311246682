import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { UsageError } from './common';

export const EVALUATE_USAGE = 'seminote evaluate --score <musicxml|mid> --performance <mid> [--json]';

export async function runEvaluate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { score: { type: 'string' }, performance: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.score || !values.performance) throw new UsageError(`--score and --performance are required. Usage: ${EVALUATE_USAGE}`);
  throw new AppError('UNSUPPORTED', 'Offline evaluation needs the score aligner, which is not in this build yet.');
}
