package dev.fjc.testjob;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.util.Collector;

/**
 * FJC's test job. Pipeline: source (uid "source") -> keyBy(key) -> counter (uid "counter") -> sink (uid "sink").
 *
 * <p>The source is a FLIP-27 DataGeneratorSource (its position is in checkpoints and savepoints) emitting
 * (key, seq) with key = "k" + seq % keys. The counter keeps a per-key count in ValueState and exposes gauges
 * fjc_total_count / fjc_max_count / fjc_records; a job restored from a savepoint continues the counts.
 *
 * <p>Arguments: [MODE] [--mode stream|batch|fail] [--records N] [--rate R] [--keys K] [--print-every P]
 * [--checkpoint-ms C] [--name NAME] [--fail-after-ms T] [--throw-message TEXT] [--stall-checkpoints]
 * [--checkpoint-timeout-ms D] [--stop-emitting-after-ms T] [--fail-after-records N]. See README.md.
 */
public final class TestJob {

    /** Arguments that take no value. */
    private static final Set<String> FLAGS = Set.of("stall-checkpoints");

    private TestJob() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        String mode = args.getOrDefault("mode", "stream");
        long records = Long.parseLong(args.getOrDefault("records", "100"));
        int keys = Integer.parseInt(args.getOrDefault("keys", "4"));
        long printEvery = Long.parseLong(args.getOrDefault("print-every", "20"));
        long checkpointMs = Long.parseLong(args.getOrDefault("checkpoint-ms", "0"));
        long failAfterMs = Long.parseLong(args.getOrDefault("fail-after-ms", "0"));
        long stopEmittingAfterMs = Long.parseLong(args.getOrDefault("stop-emitting-after-ms", "0"));
        boolean stallCheckpoints = args.containsKey("stall-checkpoints");
        long checkpointTimeoutMs = Long.parseLong(args.getOrDefault("checkpoint-timeout-ms", "2000"));
        String throwMessage = args.get("throw-message");
        // Any mode: the counter throws on the record after N (in batch mode the source stays bounded).
        long failAfterRecords = Long.parseLong(args.getOrDefault("fail-after-records", "0"));
        double rate;
        long count;
        long failAfter = 0;
        switch (mode) {
            case "stream":
                rate = Double.parseDouble(args.getOrDefault("rate", "20"));
                count = Long.MAX_VALUE;
                break;
            case "batch":
                rate = Double.parseDouble(args.getOrDefault("rate", "0"));
                count = records;
                break;
            case "fail":
                rate = Double.parseDouble(args.getOrDefault("rate", "0"));
                count = Long.MAX_VALUE;
                failAfter = records;
                break;
            default:
                throw new IllegalArgumentException("unknown mode '" + mode + "' (stream, batch or fail)");
        }
        if (failAfterRecords > 0) {
            failAfter = failAfterRecords;
        }
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be >= 1");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if ("fail".equals(mode) || failAfterRecords > 0) {
            // A failing job must end FAILED instead of restarting forever.
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            env.configure(conf);
        }
        if (failAfterMs > 0) {
            // Every attempt fails after failAfterMs, and Flink restarts it again and again.
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
            env.configure(conf);
        }
        if (stallCheckpoints && checkpointMs <= 0) {
            checkpointMs = 1000;
        }
        if (checkpointMs > 0) {
            env.enableCheckpointing(checkpointMs);
        }
        if (stallCheckpoints) {
            // Every checkpoint expires (the counter's snapshot outlasts the timeout); expired
            // checkpoints must not fail the job, which keeps running and processing records.
            env.getCheckpointConfig().setCheckpointTimeout(checkpointTimeoutMs);
            env.getCheckpointConfig().setTolerableCheckpointFailureNumber(Integer.MAX_VALUE);
        }

        DataGeneratorSource<Tuple2<String, Long>> source =
                new DataGeneratorSource<>(
                        new KeyedRecords(keys),
                        count,
                        rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                        Types.TUPLE(Types.STRING, Types.LONG));

        DataStream<Tuple2<String, Long>> stream =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "source").uid("source").name("source");
        if (stopEmittingAfterMs > 0) {
            // Chained to the source, so the source vertex emits nothing once the time is up
            // while the source itself keeps running.
            stream = stream.filter(new EmitUntil(stopEmittingAfterMs)).uid("emit-gate").name("emit-gate");
        }
        long stallMs = stallCheckpoints ? checkpointTimeoutMs * 2 : 0;
        stream.keyBy(record -> record.f0)
                .process(new Counter(printEvery, failAfter, failAfterMs, throwMessage, stallMs))
                .uid("counter")
                .name("counter")
                .sinkTo(new PrintSink<>())
                .uid("sink")
                .name("sink");

        env.execute(args.getOrDefault("name", "fjc-test-job-" + mode));
    }

    /** "--key value" pairs; a leading bare word is the mode. */
    static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        if (argv.length > 0 && !argv[0].startsWith("--")) {
            out.put("mode", argv[0]);
            i = 1;
        }
        for (; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--") && FLAGS.contains(a.substring(2))) {
                out.put(a.substring(2), "true");
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --key value, got '" + a + "'");
            }
            out.put(a.substring(2), argv[++i]);
        }
        return out;
    }

    /** seq -> (k{seq % keys}, seq). */
    static final class KeyedRecords implements GeneratorFunction<Long, Tuple2<String, Long>> {
        private static final long serialVersionUID = 1L;
        private final int keys;

        KeyedRecords(int keys) {
            this.keys = keys;
        }

        @Override
        public Tuple2<String, Long> map(Long seq) {
            return Tuple2.of("k" + (seq % keys), seq);
        }
    }

    /** Passes records for the first {@code millis} ms of each attempt, then none. */
    static final class EmitUntil implements FilterFunction<Tuple2<String, Long>> {
        private static final long serialVersionUID = 1L;
        private final long millis;
        private transient long startedAt;

        EmitUntil(long millis) {
            this.millis = millis;
        }

        @Override
        public boolean filter(Tuple2<String, Long> record) {
            long now = System.currentTimeMillis();
            if (startedAt == 0) {
                startedAt = now;
            }
            return now - startedAt < millis;
        }
    }

    /**
     * Per-key count in keyed ValueState "count". Gauges on this operator:
     * fjc_total_count = sum of the counts of this subtask's keys (kept across savepoints in operator state),
     * fjc_max_count = highest per-key count seen since this attempt started (continues after a restore once
     * a record arrived), fjc_records = records processed by this attempt (starts at 0 on every run).
     */
    static final class Counter extends KeyedProcessFunction<String, Tuple2<String, Long>, String>
            implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private final long printEvery;
        private final long failAfter;
        private final long failAfterMs;
        private final String throwMessage;
        private final long stallMs;

        private transient long openedAt;
        private transient ValueState<Long> count;
        private transient ListState<Long> totalState;
        private transient volatile long total;
        private transient volatile long maxCount;
        private transient volatile long records;

        Counter(long printEvery, long failAfter, long failAfterMs, String throwMessage, long stallMs) {
            this.printEvery = printEvery;
            this.failAfter = failAfter;
            this.failAfterMs = failAfterMs;
            this.throwMessage = throwMessage;
            this.stallMs = stallMs;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            totalState =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("total", Types.LONG));
            long restored = 0;
            if (context.isRestored()) {
                for (Long t : totalState.get()) {
                    restored += t;
                }
            }
            total = restored;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            if (stallMs > 0) {
                Thread.sleep(stallMs);
            }
            totalState.update(java.util.List.of(total));
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            openedAt = System.currentTimeMillis();
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            getRuntimeContext().getMetricGroup().gauge("fjc_total_count", (Gauge<Long>) () -> total);
            getRuntimeContext().getMetricGroup().gauge("fjc_max_count", (Gauge<Long>) () -> maxCount);
            getRuntimeContext().getMetricGroup().gauge("fjc_records", (Gauge<Long>) () -> records);
        }

        @Override
        public void processElement(Tuple2<String, Long> record, Context ctx, Collector<String> out)
                throws Exception {
            if (failAfter > 0 && records >= failAfter) {
                throw new IllegalStateException(
                        throwMessage != null ? throwMessage : "FJC test job: intentional failure after " + failAfter + " records");
            }
            if (failAfterMs > 0 && System.currentTimeMillis() - openedAt >= failAfterMs) {
                throw new IllegalStateException(
                        throwMessage != null ? throwMessage : "FJC test job: intentional failure after " + failAfterMs + " ms");
            }
            Long previous = count.value();
            long c = (previous == null ? 0 : previous) + 1;
            count.update(c);
            total++;
            records++;
            if (c > maxCount) {
                maxCount = c;
            }
            if (printEvery > 0 && c % printEvery == 0) {
                out.collect("COUNT key=" + record.f0 + " count=" + c + " total=" + total);
            }
        }
    }
}
