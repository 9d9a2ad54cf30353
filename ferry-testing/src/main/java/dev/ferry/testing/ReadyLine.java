package dev.ferry.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line {@code ferry up} (or {@code ferry server}) prints once it serves requests:
 * {@code Ferry is ready (1999 ms): API http://127.0.0.1:45189, kubeconfig /path/kubeconfig}.
 *
 * @param reportedMillis start-up time as measured by the server itself (from its {@code main}, JVM start excluded)
 */
public record ReadyLine(URI api, Path kubeconfig, long reportedMillis) {
    private static final Pattern LINE =
            Pattern.compile("^Ferry (?:API server )?is ready \\((\\d+) ms\\): API (\\S+?), kubeconfig (\\S+)");

    public static Optional<ReadyLine> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new ReadyLine(URI.create(m.group(2)), Path.of(m.group(3)), Long.parseLong(m.group(1))));
    }
}
