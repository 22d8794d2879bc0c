// Kafka topic names of the public contract. The "fjc." prefix is configurable per
// deployment (FJC_TOPIC_PREFIX); the rest of each name is fixed.
export const TOPIC_SUFFIXES = {
  specCommands: 'spec.commands',
  specCommandResults: 'spec.command-results',
  specEvents: 'spec.events',
  scheduleTicks: 'schedule.ticks',
  deployActions: 'deploy.actions',
  deployResults: 'deploy.results',
  jobObservations: 'job.observations',
  jobLifecycle: 'job.lifecycle',
  pipelineEvents: 'pipeline.events',
  dlq: 'dlq',
} as const;

export type TopicKey = keyof typeof TOPIC_SUFFIXES;
export type TopicNames = { readonly [K in TopicKey]: string };

export const DEFAULT_TOPIC_PREFIX = 'fjc.';

const PREFIX_PATTERN = /^[a-zA-Z0-9._-]*$/;

export function topicNames(prefix: string = DEFAULT_TOPIC_PREFIX): TopicNames {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`topic prefix "${prefix}" may only contain letters, digits, ".", "_" and "-"`);
  }
  const names = {} as Record<TopicKey, string>;
  for (const key of Object.keys(TOPIC_SUFFIXES) as TopicKey[]) names[key] = prefix + TOPIC_SUFFIXES[key];
  return names;
}
