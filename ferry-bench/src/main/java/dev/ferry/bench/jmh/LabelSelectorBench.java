package dev.ferry.bench.jmh;

import dev.ferry.api.selector.LabelSelector;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Label selector parsing and matching, as done for every object a filtered list or watch looks at. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LabelSelectorBench {
    private static final String TEXT = "app=bench,tier in (web,api),!canary,env!=prod";
    private final LabelSelector selector = LabelSelector.parse(TEXT);
    private final Map<String, String> matching = Map.of("app", "bench", "tier", "web", "env", "dev",
            "pod-template-hash", "7c9f8d6b5");
    private final Map<String, String> notMatching = Map.of("app", "bench", "tier", "db");

    @Benchmark
    public LabelSelector parse() {
        return LabelSelector.parse(TEXT);
    }

    @Benchmark
    public boolean matchHit() {
        return selector.matches(matching);
    }

    @Benchmark
    public boolean matchMiss() {
        return selector.matches(notMatching);
    }
}
