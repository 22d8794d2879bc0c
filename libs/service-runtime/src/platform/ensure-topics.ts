// Creating the deployment's topics at start: only the missing ones (asking Kafka to create an
// existing topic logs an error), then waiting until every partition has a leader. A busy broker
// answers metadata requests for a new topic with UNKNOWN_TOPIC_OR_PARTITION for a while, and
// another instance may be creating the same topics at the same moment: both are retried until
// the deadline, after which start fails with FJC_KAFKA_TOPICS_UNAVAILABLE naming the topics.
import type { Admin } from 'kafkajs';

export interface TopicWanted {
  readonly name: string;
  readonly partitions: number;
}

export async function ensureTopics(
  admin: Admin,
  wanted: readonly TopicWanted[],
  options: { timeoutMs?: number; onRetry?: (error: string) => void } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.name));
      if (missing.length > 0) await admin.createTopics({ waitForLeaders: false, topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions })) });
      const metadata = await admin.fetchTopicMetadata({ topics: wanted.map((t) => t.name) });
      const leaderless = metadata.topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) return;
      lastError = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`FJC_KAFKA_TOPICS_UNAVAILABLE: ${wanted.map((t) => t.name).join(', ')}: ${lastError}`);
    options.onRetry?.(lastError);
    await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
  }
}
