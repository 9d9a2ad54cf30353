package dev.ferry.proxy.sync;

import java.util.Map;

/** The health-check node port servers of externalTrafficPolicy: Local Services (kube-proxy's healthcheck server). */
public interface HealthChecks {
    /** A Service's health-check answer: how many of its endpoints are ready on this node. */
    record Target(String namespace, String name, int localEndpoints) {}

    /** Serves exactly {@code byPort}'s ports, each answering for its target. */
    void sync(Map<Integer, Target> byPort);
}
