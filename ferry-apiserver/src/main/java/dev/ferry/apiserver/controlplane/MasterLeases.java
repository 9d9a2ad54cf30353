package dev.ferry.apiserver.controlplane;

import dev.ferry.api.Json;
import dev.ferry.apiserver.storage.Meta;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pure rules of the master leases: each API server keeps a coordination.k8s.io/v1 Lease in {@code kube-system}
 * (upstream keeps a TTL key per IP under {@code /masterleases/}; Ferry's stores have no TTL, and a Lease object also
 * shows who serves: {@code kubectl get leases -n kube-system -l ferry.dev/apiserver-endpoint}). The Lease's
 * {@code holderIdentity} is the server's {@link ApiEndpoint} ("ip:port", "[ip]:port" for IPv6); a lease is live while
 * {@code renewTime + leaseDurationSeconds} is after now.
 */
public final class MasterLeases {
    public static final String NAMESPACE = "kube-system";
    /** Marks the master leases among the Leases of {@code kube-system}. */
    public static final String LABEL = "ferry.dev/apiserver-endpoint";
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private MasterLeases() {
    }

    /** The Lease name of {@code self}: a DNS subdomain, one per endpoint. */
    public static String name(ApiEndpoint self) {
        return "ferry-apiserver-" + self.ip().replace(':', '-') + "-" + self.port();
    }

    /**
     * The lease {@code self} writes to renew itself at {@code now}: {@code current} (null when absent) with its
     * holder, duration and renew time set; acquireTime is kept when the holder is unchanged.
     */
    public static ObjectNode renewed(ObjectNode current, ApiEndpoint self, Instant now, Duration ttl) {
        ObjectNode lease = current == null ? Json.object() : current.deepCopy();
        lease.put("apiVersion", "coordination.k8s.io/v1");
        lease.put("kind", "Lease");
        ObjectNode meta = lease.has("metadata") ? (ObjectNode) lease.get("metadata") : lease.putObject("metadata");
        meta.put("name", name(self));
        meta.put("namespace", NAMESPACE);
        ObjectNode labels = meta.has("labels") && meta.get("labels").isObject()
                ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
        labels.put(LABEL, "true");
        ObjectNode spec = lease.has("spec") && lease.get("spec").isObject()
                ? (ObjectNode) lease.get("spec") : lease.putObject("spec");
        String stamp = MICRO_TIME.format(now);
        if (!self.toString().equals(spec.path("holderIdentity").asString("")) || !spec.has("acquireTime")) {
            spec.put("acquireTime", stamp);
        }
        spec.put("holderIdentity", self.toString());
        spec.put("leaseDurationSeconds", (int) Math.max(1, ttl.toSeconds()));
        spec.put("renewTime", stamp);
        return lease;
    }

    /** The endpoints of the master leases among {@code leases} that are live at {@code now}, sorted, distinct. */
    public static List<ApiEndpoint> live(List<? extends JsonNode> leases, Instant now) {
        TreeSet<ApiEndpoint> live = new TreeSet<>();
        for (JsonNode lease : leases) {
            if (!"true".equals(Meta.labels(lease).get(LABEL)) || Meta.isDeleting(lease)) {
                continue;
            }
            JsonNode spec = lease.path("spec");
            ApiEndpoint holder = parseHolder(spec.path("holderIdentity").asString(""));
            Instant renewed = parseTime(spec.path("renewTime").asString(""));
            long seconds = spec.path("leaseDurationSeconds").asLong(0);
            if (holder != null && renewed != null && seconds > 0 && renewed.plusSeconds(seconds).isAfter(now)) {
                live.add(holder);
            }
        }
        return List.copyOf(live);
    }

    /**
     * The names of master leases that expired more than one lease duration before {@code now}: their servers are
     * gone (a crash, or a port chosen at random by an earlier run), and nothing else ever removes them (upstream's TTL
     * keys vanish by themselves). A server that comes back after its lease is collected simply creates it again.
     */
    public static List<String> collectable(List<? extends JsonNode> leases, Instant now) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode lease : leases) {
            if (!"true".equals(Meta.labels(lease).get(LABEL)) || Meta.isDeleting(lease)) {
                continue;
            }
            JsonNode spec = lease.path("spec");
            Instant renewed = parseTime(spec.path("renewTime").asString(""));
            long seconds = spec.path("leaseDurationSeconds").asLong(0);
            if (renewed != null && seconds > 0 && renewed.plusSeconds(2 * seconds).isBefore(now)) {
                out.add(Meta.name(lease));
            }
        }
        return out;
    }

    /** "ip:port" or "[ip]:port" as written by {@link #renewed}; null when malformed. */
    static ApiEndpoint parseHolder(String holder) {
        int colon = holder.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = holder.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ApiEndpoint(host, Integer.parseInt(holder.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant parseTime(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
