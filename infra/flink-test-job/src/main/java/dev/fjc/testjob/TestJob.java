package dev.fjc.testjob;

import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
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
 * [--checkpoint-ms C] [--name NAME]. See README.md.
 */
public final class TestJob {

    private TestJob() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        String mode = args.getOrDefault("mode", "stream");
        long records = Long.parseLong(args.getOrDefault("records", "100"));
        int keys = Integer.parseInt(args.getOrDefault("keys", "4"));
        long printEvery = Long.parseLong(args.getOrDefault("print-every", "20"));
        long checkpointMs = Long.parseLong(args.getOrDefault("checkpoint-ms", "0"));
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
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be >= 1");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if ("fail".equals(mode)) {
            // A failing job must end FAILED instead of restarting forever.
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            env.configure(conf);
        }
        if (checkpointMs > 0) {
            env.enableCheckpointing(checkpointMs);
        }

        DataGeneratorSource<Tuple2<String, Long>> source =
                new DataGeneratorSource<>(
                        new KeyedRecords(keys),
                        count,
                        rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                        Types.TUPLE(Types.STRING, Types.LONG));

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "source")
                .uid("source")
                .name("source")
                .keyBy(record -> record.f0)
                .process(new Counter(printEvery, failAfter))
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

        private transient ValueState<Long> count;
        private transient ListState<Long> totalState;
        private transient volatile long total;
        private transient volatile long maxCount;
        private transient volatile long records;

        Counter(long printEvery, long failAfter) {
            this.printEvery = printEvery;
            this.failAfter = failAfter;
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
            totalState.update(java.util.List.of(total));
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
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
                        "FJC test job: intentional failure after " + failAfter + " records");
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
