import { SpecCommandResultSchema } from '@fjc/contracts';
import { invalidCommandResult, toCommandResult } from './to-command-result';

const commandId = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

describe('toCommandResult', () => {
  it.each([
    [{ kind: 'appended', version: 2, events: [], created: false } as const, { status: 'accepted', version: 2 }],
    [{ kind: 'unchanged', version: 2 } as const, { status: 'unchanged', version: 2 }],
    [
      { kind: 'rejected', errors: [{ code: 'FJC_SPEC_OUT_OF_RANGE', path: 'deployment.parallelism', message: 'must be at least 1, got 0', line: 4, column: 3 }] } as const,
      { status: 'rejected', errors: [{ code: 'FJC_SPEC_OUT_OF_RANGE', path: 'deployment.parallelism', message: 'must be at least 1, got 0' }] },
    ],
  ])('maps %j to a result the contract accepts', (outcome, expected) => {
    const result = toCommandResult(commandId, 'orders', outcome);
    expect(result).toEqual({ commandId, jobId: 'orders', ...expected });
    expect(SpecCommandResultSchema.safeParse(result).success).toBe(true);
  });
});

describe('invalidCommandResult', () => {
  const errors = [{ code: 'FJC_SPEC_REQUIRED' as const, path: 'type', message: 'is required' }];

  it.each([
    ['the command\'s job id', { commandId, jobId: 'orders' }, 'key-job', 'orders'],
    ['the message key when the job id is invalid', { commandId, jobId: 'Not Valid' }, 'key-job', 'key-job'],
    ['what was sent when neither is valid', { commandId, jobId: 'Not Valid' }, null, 'Not Valid'],
  ])('names %s', (_name, message, key, jobId) => {
    expect(invalidCommandResult(message, key, errors)).toEqual({ commandId, jobId, status: 'rejected', errors });
  });
});
