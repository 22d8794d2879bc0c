// The metrics every service has through the platform: the relay (published events, its lag
// behind the log head), append latency, and consumer lag per group and topic. Lag gauges are
// read at scrape time (the log head and the relay checkpoint from PostgreSQL, offsets from
// Kafka), so every instance reports the same truth and nothing is computed when nobody scrapes.
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The metric of that name on the registry, created once (several writers may share a registry). */
export function metricOnce<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function appendDurationHistogram(registry: Registry): Histogram {
  return metricOnce(registry, 'fjc_event_append_duration_seconds', () =>
    new Histogram({
      name: 'fjc_event_append_duration_seconds',
      help: 'Time to append one batch of events to a stream of the event log (inside the caller\'s transaction)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  );
}

/** Events after the relay's checkpoint, counted up to this many (a huge backlog is reported as this). */
const LAG_COUNT_CAP = 1_000_000;

export function registerRelayMetrics(registry: Registry, pool: Pool, relayName: string): { published: Counter } {
  const published = new Counter({ name: 'fjc_relay_published_total', help: 'Events the relay of this instance published to Kafka', registers: [registry] });
  new Gauge({
    name: 'fjc_relay_lag_events',
    help: 'Events in the log the relay has not published yet (log head minus the published position)',
    registers: [registry],
    async collect() {
      // One query: without a checkpoint nothing was ever published, so the whole log is the lag.
      const res = await pool.query<{ n: string }>(
        `select count(*)::text as n from (
           select 1 from event_log e left join log_checkpoint c on c.name = $1
            where c.name is null or (e.tx_id, e.position) > (c.tx_id, c.position) limit $2) t`,
        [relayName, LAG_COUNT_CAP],
      );
      this.set(Number(res.rows[0].n));
    },
  });
  new Gauge({
    name: 'fjc_event_log_head_position',
    help: 'Position of the newest event in the log',
    registers: [registry],
    async collect() {
      const res = await pool.query<{ p: string | null }>(`select max(position)::text as p from event_log`);
      this.set(Number(res.rows[0].p ?? 0));
    },
  });
  return { published };
}

/** Consumer lag of one group over its topics: the high watermark minus the committed offset, summed over partitions. */
export function registerConsumerLag(registry: Registry, group: string, topics: readonly string[], admin: () => Promise<Admin>): void {
  new Gauge({
    name: 'fjc_consumer_lag',
    help: 'Messages not yet consumed, by consumer group and topic (high watermark minus committed offset, summed over partitions)',
    labelNames: ['group', 'topic'],
    registers: [registry],
    async collect() {
      const client = await admin();
      const committed = await client.fetchOffsets({ groupId: group, topics: [...topics] });
      for (const t of committed) {
        const ends = await client.fetchTopicOffsets(t.topic);
        const high = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
        const low = new Map(ends.map((p) => [p.partition, BigInt(p.low)]));
        let lag = 0n;
        for (const p of t.partitions) {
          const end = high.get(p.partition) ?? 0n;
          // -1: nothing committed yet; the group starts from the earliest offset still held.
          const at = p.offset === '-1' ? (low.get(p.partition) ?? 0n) : BigInt(p.offset);
          if (end > at) lag += end - at;
        }
        this.set({ group, topic: t.topic }, Number(lag));
      }
    },
  });
}
