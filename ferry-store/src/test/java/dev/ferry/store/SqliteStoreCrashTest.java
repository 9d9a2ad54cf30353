package dev.ferry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Kills a writing child JVM with SIGKILL and checks that every write it acknowledged survived, and that revisions
 * keep growing after the restart. Two rounds on the same file, so the second also checks recovery of a recovered file.
 * The killed children leave nothing in their temp directory: sqlite's native library is kept beside the file.
 */
class SqliteStoreCrashTest {

    private static final int ACKS_BEFORE_KILL = 4000;
    private static final int WRITER_THREADS = 8;
    /** Exit status the JDK reports for a process ended by signal 9. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

    @TempDir
    Path dir;

    private record Ack(long revision, long value) {
    }

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path file = dir.resolve("crash.db");
        long seen = 0;
        for (String round : List.of("r1", "r2")) {
            Map<String, Ack> acks = runAndKill(file, round);
            assertThat(acks.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL / 2);
            long maxAcked = acks.values().stream().mapToLong(Ack::revision).max().orElseThrow();
            long minAcked = acks.values().stream().mapToLong(Ack::revision).min().orElseThrow();
            assertThat(minAcked).as("revisions continue above the previous round").isGreaterThan(seen);

            try (SqliteStore store = SqliteStore.open(file)) {
                for (Map.Entry<String, Ack> e : acks.entrySet()) {
                    KeyValue kv = store.get(e.getKey()).orElse(null);
                    assertThat(kv).as("acknowledged %s", e.getKey()).isNotNull();
                    assertThat(kv.modRevision()).as("revision of %s", e.getKey())
                            .isGreaterThanOrEqualTo(e.getValue().revision());
                    if (e.getKey().startsWith("/counter/")) {
                        assertThat(Long.parseLong(new String(kv.value(), UTF_8)))
                                .isGreaterThanOrEqualTo(e.getValue().value());
                    } else {
                        assertThat(kv.modRevision()).isEqualTo(e.getValue().revision());
                    }
                }
                long current = store.currentRevision();
                long newest = store.range("/", null, 0, 0).kvs().stream()
                        .mapToLong(KeyValue::modRevision).max().orElseThrow();
                assertThat(current).isGreaterThanOrEqualTo(Math.max(maxAcked, newest));

                long next = store.create("/after/" + round, new byte[0]);
                assertThat(next).isEqualTo(current + 1);
                seen = next;
            }
            try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
                assertThat(left).as("left in the killed child's temp directory").isEmpty();
            }
            try (Stream<Path> kept = Files.list(dir.resolve(SqliteStore.NATIVE_DIR))) {
                assertThat(kept.map(p -> p.getFileName().toString()))
                        .singleElement(as(InstanceOfAssertFactories.STRING))
                        .startsWith("sqlite-" + SQLiteJDBCLoader.getVersion() + "-");
            }
        }
    }

    /** Runs the child until it acknowledged enough writes, kills it, returns the latest ack per key. */
    private Map<String, Ack> runAndKill(Path file, String round) throws Exception {
        Path stderr = dir.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-cp", System.getProperty("java.class.path"),
                CrashingWriterMain.class.getName(), file.toString(), round, Integer.toString(WRITER_THREADS))
                .redirectError(stderr.toFile())
                .start();
        Map<String, Ack> acks = new HashMap<>();
        int count = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (count == ACKS_BEFORE_KILL) {
                    // SIGKILL (checked through the exit status below). Unlike Process.destroyForcibly(), which sends
                    // the same signal, the handle leaves stdout open, so acks already in the pipe are still read.
                    child.toHandle().destroyForcibly();
                }
                // a line cut by the kill lacks its END marker and is not an ack
                String[] f = line.split(" ");
                if (f.length == 5 && f[0].equals("ACK") && f[4].equals("END")) {
                    count++;
                    Ack ack = new Ack(Long.parseLong(f[2]), Long.parseLong(f[3]));
                    acks.merge(f[1], ack, (a, b) -> a.revision() >= b.revision() ? a : b);
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count).as("child stderr: %s", readQuietly(stderr)).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(KILLED_BY_SIGKILL);
        String stats = readQuietly(stderr).lines().filter(l -> l.startsWith("STATS")).reduce((a, b) -> b).orElse("");
        System.out.printf("crash round %s: %d acks before EOF; last child %s%n", round, count, stats);
        return acks;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
