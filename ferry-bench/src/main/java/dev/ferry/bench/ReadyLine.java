package dev.ferry.bench;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line {@code ferry up} prints once it serves requests:
 * {@code Ferry is ready (1999 ms): API http://127.0.0.1:45189, kubeconfig /path/kubeconfig}.
 *
 * @param api            the API server's base URL
 * @param reportedMillis start-up time as measured by the server itself (from its {@code main}, JVM start excluded)
 */
record ReadyLine(URI api, long reportedMillis) {
    private static final Pattern LINE = Pattern.compile("^Ferry (?:API server )?is ready \\((\\d+) ms\\): API (\\S+?),");

    static Optional<ReadyLine> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new ReadyLine(URI.create(m.group(2)), Long.parseLong(m.group(1))));
    }
}
