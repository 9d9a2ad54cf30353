package dev.ferry.store;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link SqliteStoreCrashTest}: writes until it is killed and reports every acknowledged write on
 * stdout as one line {@code ACK <key> <revision> <value> END}. Creates use keys {@code /crash/<round>/<thread>/<n>};
 * every tenth write is a compare-and-swap increment of {@code /counter/<thread % 2>} instead. Every second it reports
 * the writer's group-commit counters on stderr.
 *
 * <p>Arguments: store file, round name, writer threads.
 */
public final class CrashingWriterMain {

    private CrashingWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        SqliteStore store = SqliteStore.open(file);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().name("crash-writer-" + t).start(() -> write(store, round, thread, out)));
        }
        while (true) {
            Thread.sleep(1000);
            System.err.println("STATS " + store.writeStats());
        }
    }

    private static void write(SqliteStore store, String round, int thread, PrintStream out) {
        byte[] padding = "x".repeat(200).getBytes(StandardCharsets.UTF_8);
        String counter = "/counter/" + (thread % 2);
        for (long n = 0; ; n++) {
            String line;
            if (n % 10 == 9) {
                long value;
                long rev;
                while (true) {
                    KeyValue kv = store.get(counter).orElse(null);
                    try {
                        if (kv == null) {
                            value = 1;
                            rev = store.create(counter, bytes("1"));
                        } else {
                            value = Long.parseLong(new String(kv.value(), StandardCharsets.UTF_8)) + 1;
                            rev = store.update(counter, bytes(Long.toString(value)), kv.modRevision());
                        }
                        break;
                    } catch (StoreException.Conflict | StoreException.KeyExists e) {
                        // lost the race; retry
                    }
                }
                line = "ACK " + counter + " " + rev + " " + value + " END";
            } else {
                String key = "/crash/" + round + "/" + thread + "/" + n;
                long rev = store.create(key, padding);
                line = "ACK " + key + " " + rev + " 0 END";
            }
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
