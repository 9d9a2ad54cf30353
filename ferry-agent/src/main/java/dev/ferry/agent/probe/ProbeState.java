package dev.ferry.agent.probe;

/**
 * The thresholds logic of one probe of one container attempt (the kubelet prober worker's lastResult/resultRun),
 * pure. A raw outcome changes the published {@code result} only after {@code successThreshold} consecutive successes
 * or {@code failureThreshold} consecutive failures. A liveness or startup probe that publishes a failure goes on hold:
 * the container is being restarted, and a new attempt gets a new state.
 *
 * @param result   the published result; initially Failure for readiness, Success for liveness, Unknown for startup
 * @param lastRaw  the latest raw outcome (UNKNOWN before the first)
 * @param run      how many consecutive raw outcomes equal {@code lastRaw}
 * @param onHold   no more probing for this attempt
 */
public record ProbeState(ProbeResult result, ProbeResult lastRaw, int run, boolean onHold) {

    public static ProbeState initial(ProbeType type) {
        ProbeResult initial = switch (type) {
            case READINESS -> ProbeResult.FAILURE;
            case LIVENESS -> ProbeResult.SUCCESS;
            case STARTUP -> ProbeResult.UNKNOWN;
        };
        return new ProbeState(initial, ProbeResult.UNKNOWN, 0, false);
    }

    /** The state after one probe run with outcome {@code success}. */
    public ProbeState observe(ProbeType type, boolean success, int successThreshold, int failureThreshold) {
        if (onHold) {
            return this;
        }
        ProbeResult raw = success ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
        int newRun = raw == lastRaw ? run + 1 : 1;
        if ((raw == ProbeResult.FAILURE && newRun < Math.max(1, failureThreshold))
                || (raw == ProbeResult.SUCCESS && newRun < Math.max(1, successThreshold))) {
            return new ProbeState(result, raw, newRun, false);
        }
        if (raw == ProbeResult.FAILURE && type != ProbeType.READINESS) {
            return new ProbeState(raw, raw, 0, true);
        }
        return new ProbeState(raw, raw, newRun, false);
    }
}
