package dev.ferry.agent.probe;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;

/** A probe's timing fields with Kubernetes' defaults applied (initialDelay 0, period 10 s, timeout 1 s, 1/3). */
public record ProbeSettings(Duration initialDelay, Duration period, Duration timeout, int successThreshold,
        int failureThreshold) {

    public static ProbeSettings of(Probe p) {
        return new ProbeSettings(Duration.ofSeconds(orDefault(p.getInitialDelaySeconds(), 0)),
                Duration.ofSeconds(Math.max(1, orDefault(p.getPeriodSeconds(), 10))),
                Duration.ofSeconds(Math.max(1, orDefault(p.getTimeoutSeconds(), 1))),
                Math.max(1, orDefault(p.getSuccessThreshold(), 1)), Math.max(1, orDefault(p.getFailureThreshold(), 3)));
    }

    private static int orDefault(Integer v, int dflt) {
        return v == null ? dflt : v;
    }
}
