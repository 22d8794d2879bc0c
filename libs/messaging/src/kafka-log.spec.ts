import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log';

function lines(level: logLevel, message: string, extra: Record<string, unknown> = {}, namespace = 'Connection'): Record<string, unknown> {
  const out: string[] = [];
  kafkaLogCreator({ service: 'reconciler', pid: 7 }, (l) => out.push(l))(logLevel.INFO)({ namespace, level, label: 'x', log: { message, timestamp: 't', logger: 'kafkajs', ...extra } });
  return JSON.parse(out[0]) as Record<string, unknown>;
}

describe('kafkaLogCreator', () => {
  it('writes the services\' JSON line, with the service fields and kafkajs\'s own', () => {
    expect(lines(logLevel.WARN, 'rebalancing', { groupId: 'g' })).toMatchObject({ level: 'warn', service: 'reconciler', pid: 7, context: 'kafkajs', namespace: 'Connection', msg: 'rebalancing', groupId: 'g' });
    expect(lines(logLevel.WARN, 'x')).not.toHaveProperty('logger');
  });

  it('makes a failed request a warning (kafkajs retries it, or our code logs the final error), other errors stay errors', () => {
    expect(lines(logLevel.ERROR, 'Response ListOffsets(key: 2, version: 3)', { error: 'This server is not the leader for that topic-partition' }).level).toBe('warn');
    expect(lines(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', {}, 'Consumer').level).toBe('error');
  });
});
