import { backoffMs, isDependencyUnavailable, waitForDependency } from './dependency-errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it.each([
    ['admin shutdown 57P01', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown 57P02', withCode('57P02')],
    ['cannot connect now 57P03', withCode('57P03', 'the database system is starting up')],
    ['connection exception class 08', withCode('08006')],
    ['statement timeout 57014', withCode('57014', 'canceling statement due to statement timeout')],
    ['ECONNREFUSED', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['pg "Connection terminated unexpectedly"', new Error('Connection terminated unexpectedly')],
    ['pg connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg "Connection terminated due to connection timeout"', new Error('Connection terminated due to connection timeout')],
    ['kafkajs connection error', Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' })],
    ['kafkajs request timeout', Object.assign(new Error('Request timed out'), { name: 'KafkaJSRequestTimeoutError' })],
    ['kafkajs retries exhausted', Object.assign(new Error('gave up'), { name: 'KafkaJSNumberOfRetriesExceeded' })],
    ['wrapped in a cause', new Error('handler failed', { cause: withCode('57P01') })],
    ['an AggregateError of refused connections', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], '')],
  ])('%s is an outage', (_name, err) => {
    expect(isDependencyUnavailable(err)).toBe(true);
  });

  it.each([
    ['invalid uuid 22P02', withCode('22P02', 'invalid input syntax for type uuid: "not-a-uuid"')],
    ['unique violation 23505', withCode('23505', 'duplicate key value violates unique constraint')],
    ['serialization failure 40001 (retried apart)', withCode('40001')],
    ['a handler bug', new TypeError("Cannot read properties of undefined (reading 'jobId')")],
    ['a string', 'boom'],
    ['null', null],
    ['undefined', undefined],
  ])('%s is not an outage', (_name, err) => {
    expect(isDependencyUnavailable(err)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('grows exponentially, stays within its bound, and is jittered', () => {
    expect(backoffMs(0, 100, 5_000, () => 0)).toBe(50);
    expect(backoffMs(0, 100, 5_000, () => 1)).toBe(100);
    expect(backoffMs(3, 100, 5_000, () => 1)).toBe(800);
    expect(backoffMs(50, 100, 5_000, () => 1)).toBe(5_000);
    expect(backoffMs(50, 100, 5_000, () => 0)).toBe(2_500);
  });
});

describe('waitForDependency', () => {
  it('retries while the dependency is unavailable, logging each wait, then returns', async () => {
    const lines: string[] = [];
    let calls = 0;
    const result = await waitForDependency(
      'postgres',
      async () => {
        if (++calls < 3) throw withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
        return 'ok';
      },
      { warn: (entry) => lines.push(`${entry.code} ${entry.dependency} ${entry.attempt}`) },
      { baseMs: 1, maxMs: 2 },
    );
    expect(result).toBe('ok');
    expect(lines).toEqual(['FJC_DEPENDENCY_WAITING postgres 1', 'FJC_DEPENDENCY_WAITING postgres 2']);
  });

  it('throws a failure that is not an outage at once', async () => {
    let calls = 0;
    const failing = waitForDependency('postgres', async () => {
      calls++;
      throw withCode('42P01', 'relation "nope" does not exist');
    }, { warn: () => undefined });
    await expect(failing).rejects.toThrow('relation "nope" does not exist');
    expect(calls).toBe(1);
  });
});
