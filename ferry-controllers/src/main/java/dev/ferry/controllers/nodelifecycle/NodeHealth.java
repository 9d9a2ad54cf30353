package dev.ferry.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the node lifecycle controller has seen of one node, as upstream's nodeHealthData: {@code probe} is the
 * controller's own time of the last sign of life, taken when the node first appears, when its Ready condition's
 * lastHeartbeatTime changes, or when its Lease's renewTime changes. Only the controller's clock is compared, never
 * the node's timestamps, so clock skew between machines does not matter. Immutable; the functions are pure.
 *
 * @param heartbeat  the Ready condition's lastHeartbeatTime last seen ("" when none)
 * @param leaseRenew the Lease's renewTime last seen, as an instant ("" when none)
 * @param lastReady  the Ready status the controller last acted on (null before the first pass): a change from
 *                   "True" to anything else marks the node's pods not ready
 */
public record NodeHealth(Instant probe, String heartbeat, String leaseRenew, String lastReady) {

    /** The observation after seeing {@code node} and its {@code lease} (null when none) at {@code now}. */
    public static NodeHealth observe(NodeHealth prev, Node node, Lease lease, Instant now) {
        String heartbeat = heartbeat(node);
        String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? ""
                : lease.getSpec().getRenewTime().toInstant().toString();
        if (prev == null) {
            return new NodeHealth(now, heartbeat, renew, null);
        }
        boolean alive = !heartbeat.equals(prev.heartbeat()) || (!renew.isEmpty() && !renew.equals(prev.leaseRenew()));
        return new NodeHealth(alive ? now : prev.probe(), heartbeat, renew, prev.lastReady());
    }

    /** Whether nothing was heard from the node for longer than {@code grace}. */
    public boolean stale(Instant now, Duration grace) {
        return now.isAfter(probe.plus(grace));
    }

    /** How long until this observation goes stale (zero when it already is). */
    public Duration untilStale(Instant now, Duration grace) {
        Duration d = Duration.between(now, probe.plus(grace));
        return d.isNegative() ? Duration.ZERO : d;
    }

    public NodeHealth withLastReady(String ready) {
        return new NodeHealth(probe, heartbeat, leaseRenew, ready);
    }

    /** Whether going from {@code lastReady} to {@code ready} takes the node out of Ready. */
    public boolean leftReady(String ready) {
        return "True".equals(lastReady) && !"True".equals(ready);
    }

    static String heartbeat(Node node) {
        NodeCondition ready = NodeConditions.find(node, "Ready");
        return ready == null ? "" : Objects.requireNonNullElse(ready.getLastHeartbeatTime(), "");
    }
}
