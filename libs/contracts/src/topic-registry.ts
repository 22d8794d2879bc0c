// The topic registry: for every public topic its name suffix, key schema and value schema.
// The key is the job id on every topic, so Kafka keeps each job's messages in order. Values of
// event topics are envelopes; the value schema accepts the current version of each event type
// published there, and consumers read older versions through decodeEvent.
import { z } from 'zod';
import { JobIdSchema } from './messages/common';
import { DlqValueSchema } from './messages/dead-letter';
import { EVENT_CATALOG, EVENT_TYPES, currentEventSchema, type FjcEventType } from './messages/event-catalog';
import { SpecCommandResultSchema, SpecCommandSchema } from './messages/spec-commands';
import { TOPIC_SUFFIXES, topicNames, type TopicKey } from './topics';

export interface TopicDefinition {
  readonly key: TopicKey;
  /** The name without the configurable prefix. */
  readonly suffix: string;
  readonly description: string;
  readonly keySchema: z.ZodType<string>;
  readonly valueSchema: z.ZodType;
  /** For topics of event envelopes: the event types published there. */
  readonly eventTypes: readonly FjcEventType[];
}

function eventsOn(topic: TopicKey): FjcEventType[] {
  return EVENT_TYPES.filter((type) => EVENT_CATALOG[type].topic === topic);
}

function envelopesOf(types: readonly FjcEventType[]): z.ZodType {
  const schemas = types.map(currentEventSchema);
  const [first, second, ...rest] = schemas;
  if (first === undefined) return z.never();
  return second === undefined ? first : z.union([first, second, ...rest]);
}

function topic(key: TopicKey, description: string, valueSchema?: z.ZodType): TopicDefinition {
  const eventTypes = eventsOn(key);
  return {
    key,
    suffix: TOPIC_SUFFIXES[key],
    description,
    keySchema: JobIdSchema,
    valueSchema: valueSchema ?? envelopesOf(eventTypes),
    eventTypes,
  };
}

export const TOPICS: { readonly [K in TopicKey]: TopicDefinition } = {
  specCommands: topic('specCommands', 'Upstream commands: ApplySpec, DeleteJob, SuspendJob, ResumeJob, RollbackJob, RecoverJob.', SpecCommandSchema),
  specCommandResults: topic('specCommandResults', 'Exactly one result per upstream command.', SpecCommandResultSchema),
  specEvents: topic('specEvents', 'Spec stream events: every accepted spec version, suspend, resume, rollback, delete.'),
  scheduleTicks: topic('scheduleTicks', 'One tick per cron batch job and scheduled time.'),
  deployActions: topic('deployActions', 'Actions the reconciler asks the deployer to carry out.'),
  deployResults: topic('deployResults', 'Action started, succeeded or failed.'),
  jobObservations: topic('jobObservations', 'What the deployer saw of each job in Flink: JobObserved, and JobExceptionObserved once per exception in its history.'),
  jobLifecycle: topic('jobLifecycle', 'Lifecycle changes decided by the reconciler.'),
  pipelineEvents: topic('pipelineEvents', 'Pipelines: every accepted pipeline version, and the events of each pipeline run (each names its run id).'),
  dlq: {
    key: 'dlq',
    suffix: TOPIC_SUFFIXES.dlq,
    description: 'Messages that could not be read or handled, with a coded reason, and markers of their replays; the key is the original key (the job id, when there was one).',
    keySchema: z.string(),
    valueSchema: DlqValueSchema,
    eventTypes: [],
  },
};

/** The topic registry with full names for a deployment's prefix. */
export function topicRegistry(prefix?: string): { readonly [K in TopicKey]: TopicDefinition & { readonly name: string } } {
  const names = topicNames(prefix);
  const entries = (Object.keys(TOPICS) as TopicKey[]).map((key) => [key, { ...TOPICS[key], name: names[key] }] as const);
  return Object.fromEntries(entries) as { readonly [K in TopicKey]: TopicDefinition & { readonly name: string } };
}
