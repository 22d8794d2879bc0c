// kafkajs logs in the services' JSON line format (level, time, service fields, context, msg).
// kafkajs logs every failed request at ERROR, also the ones it retries (a new topic's leader not
// known yet, a coordinator loading): those are warnings. A request that finally fails reaches
// our code as an exception, which logs it as an error with its code.
import { logLevel, type logCreator } from 'kafkajs';

const LEVELS: Record<number, string> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };

export function kafkaLogLine(base: Readonly<Record<string, unknown>>, entry: { namespace: string; level: logLevel; log: Record<string, unknown> }): string {
  const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry.log;
  const request = entry.level === logLevel.ERROR && entry.namespace === 'Connection' && typeof message === 'string' && message.startsWith('Response ');
  const level = request ? 'warn' : (LEVELS[entry.level] ?? 'info');
  return JSON.stringify({ level, time: new Date().toISOString(), ...base, context: 'kafkajs', namespace: entry.namespace, msg: message, ...extra });
}

export function kafkaLogCreator(base: Readonly<Record<string, unknown>>, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): logCreator {
  return () => (entry) => write(kafkaLogLine(base, entry as { namespace: string; level: logLevel; log: Record<string, unknown> }));
}
