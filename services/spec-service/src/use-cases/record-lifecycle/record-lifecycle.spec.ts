// A LifecycleChanged that keeps the state is not logged as a change (`X -> X`): only a real
// transition is logged at info; a same-state update goes to debug. The table write is mocked
// (its behaviour is covered by the read-model's integration tests); this checks the logging only.
import type { FjcEvent } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import type { Logger } from 'nestjs-pino';
import type { SpecMetrics } from '../../observability/spec-metrics';
import { RecordLifecycle } from './record-lifecycle';

jest.mock('../../read-model/job-status-table', () => ({ recordLifecycle: jest.fn(async () => 'applied') }));

function lifecycle(from: string | null, to: string): FjcEvent {
  return { type: 'LifecycleChanged', jobId: 'job-a', streamVersion: 3, correlationId: 'corr-1', payload: { from, to } } as unknown as FjcEvent;
}

function subject() {
  const logger = { log: jest.fn(), debug: jest.fn() };
  const metrics = { lifecycleEvent: jest.fn() };
  return { logger, use: new RecordLifecycle(metrics as unknown as SpecMetrics, logger as unknown as Logger) };
}

it('logs a real transition at info as from -> to', async () => {
  const { logger, use } = subject();
  await use.execute({} as Queryable, lifecycle('DEPLOYING', 'RUNNING'));
  expect(logger.log).toHaveBeenCalledTimes(1);
  expect(logger.log.mock.calls[0][0]).toMatchObject({ msg: 'job-a: DEPLOYING -> RUNNING (applied)', event: 'status.lifecycle', jobId: 'job-a', correlationId: 'corr-1' });
  expect(logger.debug).not.toHaveBeenCalled();
});

it('logs a same-state update at debug only, never as X -> X', async () => {
  const { logger, use } = subject();
  await use.execute({} as Queryable, lifecycle('DEPLOYING', 'DEPLOYING'));
  expect(logger.log).not.toHaveBeenCalled();
  expect(logger.debug).toHaveBeenCalledTimes(1);
  const entry = logger.debug.mock.calls[0][0] as { msg: string; event: string };
  expect(entry.event).toBe('status.updated');
  expect(entry.msg).not.toContain('->');
});

it('logs the first state (no from) as a change', async () => {
  const { logger, use } = subject();
  await use.execute({} as Queryable, lifecycle(null, 'PENDING'));
  expect(logger.log.mock.calls[0][0]).toMatchObject({ msg: 'job-a: - -> PENDING (applied)' });
});
