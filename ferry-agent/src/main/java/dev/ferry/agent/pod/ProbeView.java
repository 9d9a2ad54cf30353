package dev.ferry.agent.pod;

/**
 * Probe results of a container's live attempt as the pod logic consumes them.
 *
 * @param started        the startup probe succeeded (true when the container has none)
 * @param ready          the readiness probe succeeds (true when the container has none)
 * @param livenessFailed the liveness or startup probe failed its threshold: the container must be restarted
 */
public record ProbeView(boolean started, boolean ready, boolean livenessFailed) {
    /** A container without probes once it runs. */
    public static final ProbeView NONE = new ProbeView(true, true, false);
}
