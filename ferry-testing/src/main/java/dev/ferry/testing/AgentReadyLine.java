package dev.ferry.testing;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line {@code ferry agent} prints once its node runs pods (it has a pod CIDR):
 * {@code Ferry agent is ready (812 ms): node n1, API http://127.0.0.1:45189}.
 *
 * @param node           the Node's name
 * @param api            the API server the agent joined
 * @param reportedMillis start-up time as measured by the agent itself (from its {@code main}, JVM start excluded)
 */
public record AgentReadyLine(String node, URI api, long reportedMillis) {
    private static final Pattern LINE =
            Pattern.compile("^Ferry agent is ready \\((\\d+) ms\\): node (\\S+), API (\\S+)");

    public static Optional<AgentReadyLine> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new AgentReadyLine(m.group(2), URI.create(m.group(3)), Long.parseLong(m.group(1))));
    }
}
