// How `npm start` shows the services' JSON log lines on a terminal: one readable line each
// (time, level, message and the fields that matter: job, correlation, code, error), rendered
// by pino-pretty; colored only on a TTY. The log files keep the JSON. FJC_LOG_FORMAT=json prints
// the JSON as it is. A line that is not JSON passes through unchanged.
import { prettyFactory } from 'pino-pretty';

/** Fields every line has that the console prefix already shows, or that only machines need. */
const IGNORED = ['pid', 'hostname', 'service', 'instance', 'context', 'req', 'res', 'responseTime'].join(',');

export function lineFormatter({ json = process.env.FJC_LOG_FORMAT === 'json', colorize = Boolean(process.stdout.isTTY) } = {}) {
  if (json) return (line) => line;
  const pretty = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: IGNORED,
    messageKey: 'msg',
    errorLikeObjectKeys: ['err', 'error'],
  });
  return (line) => {
    if (!line.startsWith('{')) return line;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      return line;
    }
    if (entry === null || typeof entry !== 'object') return line;
    // A line without a message (Nest's structured events) shows its event name instead.
    if (entry.msg === undefined && typeof entry.event === 'string') entry.msg = entry.event;
    return pretty(entry).replace(/\n$/, '');
  };
}
