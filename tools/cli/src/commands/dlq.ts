// `fjc dlq list|show|replay`: the dead letters of fjc.dlq, read from Kafka (KAFKA_BROKERS or
// --brokers) without committing anything.
//   list    one line per dead letter: id (partition:offset), code, source topic, key, time, replayed
//   show    one dead letter in full (reason, origin, headers, replays, value)
//           (both take -o json|yaml: the entries as data)
//   replay  sends the original value, key and headers back to the source topic, once: the replay
//           is recorded in fjc.dlq (a DeadLetterReplayed marker), and a second replay of the same
//           dead letter is refused unless --force
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { DLQ_EVENT_TYPES, topicRegistry, type DeadLetterReplayed } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { tokenOf } from '../api-client';
import { decideReplay, foldDeadLetters, LIST_HEADER, listRow, replayHeaders, showEntry } from '../dlq/dead-letters';
import { KafkaUnavailableError, readDlq, sendOne, type DlqConnection } from '../dlq/dlq-topic';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

interface KafkaOptions {
  brokers?: string;
  topicPrefix?: string;
}

function connection(options: KafkaOptions): DlqConnection {
  return {
    brokers: (options.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    topic: topicRegistry(options.topicPrefix ?? process.env.FJC_TOPIC_PREFIX).dlq.name,
  };
}

export function registerDlq(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const dlq = program.command('dlq').description('list, show and replay dead letters (needs KAFKA_BROKERS)');
  const withKafka = (c: Command) =>
    c.option('--brokers <list>', 'Kafka brokers (default: KAFKA_BROKERS or 127.0.0.1:9092)').option('--topic-prefix <prefix>', 'topic prefix (default: FJC_TOPIC_PREFIX or "fjc.")');

  withOutput(withKafka(dlq.command('list').description('list the dead letters: id, code, source topic, key, time, replayed'))).action(async (options: KafkaOptions & OutputOptions) =>
    finish(await guarded(io, () => listDeadLetters(connection(options), io, options))),
  );
  withOutput(withKafka(dlq.command('show').description('show one dead letter in full').argument('<id>', 'the dead letter id, partition:offset (from fjc dlq list)'))).action(
    async (id: string, options: KafkaOptions & OutputOptions) => finish(await guarded(io, () => showDeadLetter(connection(options), id, io, options))),
  );
  withKafka(
    dlq
      .command('replay')
      .description('send a dead letter back to its source topic once (after the cause is fixed)')
      .argument('<id>', 'the dead letter id, partition:offset (from fjc dlq list)')
      .option('--force', 'replay it even though it was replayed before'),
  ).action(async (id: string, options: KafkaOptions & { force?: boolean }) => finish(await guarded(io, () => replayDeadLetter(connection(options), id, options.force === true, io))));
}

async function guarded(io: CliIo, run: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof KafkaUnavailableError)) throw err;
    io.err(`fjc: ${err.code}: ${err.message}\n`);
    return EXIT.unavailable;
  }
}

/** -o json|yaml: `{ topic, deadLetters }`, each entry with its record, the dead letter FJC wrote (null when unreadable) and its replays. */
export async function listDeadLetters(c: DlqConnection, io: CliIo, options: OutputOptions = {}): Promise<ExitCode> {
  const entries = foldDeadLetters(await readDlq(c, (p) => io.err(`${p}\n`)));
  printData(io, formatOf(options), { topic: c.topic, deadLetters: entries }, () => (entries.length === 0 ? `no dead letters in ${c.topic}\n` : table(LIST_HEADER, entries.map(listRow))));
  return EXIT.ok;
}

export async function showDeadLetter(c: DlqConnection, id: string, io: CliIo, options: OutputOptions = {}): Promise<ExitCode> {
  const entry = foldDeadLetters(await readDlq(c)).find((e) => e.id === id);
  if (!entry) {
    io.err(`fjc: FJC_DLQ_NOT_FOUND: no dead letter ${id} in ${c.topic} (run fjc dlq list)\n`);
    return EXIT.invalid;
  }
  printData(io, formatOf(options), entry, () => showEntry(entry, c.topic));
  return EXIT.ok;
}

export async function replayDeadLetter(c: DlqConnection, id: string, force: boolean, io: CliIo): Promise<ExitCode> {
  const decision = decideReplay(foldDeadLetters(await readDlq(c)), id, force);
  if (!decision.ok) {
    io.err(`fjc: ${decision.code}: ${decision.message}\n`);
    return EXIT.invalid;
  }
  const { letter } = decision;
  const headers = replayHeaders(letter, c.topic, id, tokenOf(process.env));
  if (!headers.ok) {
    io.err(`fjc: ${headers.code}: ${headers.message}\n`);
    return EXIT.invalid;
  }
  const sent = await sendOne(c, letter.sourceTopic, { key: letter.key, value: letter.value, headers: headers.headers });
  const where = `${letter.sourceTopic} partition ${sent.partition}${sent.offset !== undefined ? ` offset ${sent.offset}` : ''}`;
  const marker: DeadLetterReplayed = {
    replayOf: id,
    sourceTopic: letter.sourceTopic,
    partition: sent.partition,
    ...(sent.offset !== undefined ? { offset: sent.offset } : {}),
    replayedAt: new Date().toISOString(),
    ...(operator() ? { by: operator() } : {}),
    forced: decision.forced,
  };
  try {
    await sendOne(c, c.topic, { key: letter.key, value: JSON.stringify(marker), headers: { 'event-type': DLQ_EVENT_TYPES.replayed } });
  } catch (err) {
    io.err(`fjc: replayed ${id} to ${where}, but could not record the replay in ${c.topic} (${err instanceof Error ? err.message : String(err)}); do not replay it again\n`);
    return EXIT.unavailable;
  }
  io.out(`replayed ${id} (${letter.code}) to ${where}, once${decision.forced ? ' more (forced)' : ''}; recorded in ${c.topic}\n`);
  return EXIT.ok;
}

function operator(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
