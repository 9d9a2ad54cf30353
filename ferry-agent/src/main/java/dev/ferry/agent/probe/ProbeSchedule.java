package dev.ferry.agent.probe;

import java.time.Duration;

/**
 * When a probe runs next after a run, pure. Kubelet timing is every periodSeconds. Ferry departure (docs/architecture.md,
 * "Departures"): while a container attempt has never been ready and its readiness probe has successThreshold 1, a
 * failed readiness run is retried after 50 ms, doubling with each consecutive failure (100, 200, 400 ms …) and capped
 * at periodSeconds, so a server that listens a few hundred ms after its process started is Ready then rather than a
 * full period later. Once the attempt has been ready, kubelet timing applies. The first run (initialDelaySeconds
 * after the start) is not this class's business.
 */
public final class ProbeSchedule {
    /** The delay of the first fast retry. */
    static final Duration FIRST_RETRY = Duration.ofMillis(50);

    private ProbeSchedule() {
    }

    /**
     * @param type      the probe that just ran
     * @param settings  its settings
     * @param state     its state after the run ({@code lastRaw}/{@code run}: the consecutive outcomes so far)
     * @param everReady the attempt's readiness has published Success at least once (or it was adopted ready)
     * @return the delay until the next run
     */
    public static Duration next(ProbeType type, ProbeSettings settings, ProbeState state, boolean everReady) {
        Duration period = settings.period();
        if (type != ProbeType.READINESS || everReady || settings.successThreshold() != 1
                || state.lastRaw() != ProbeResult.FAILURE || state.run() < 1) {
            return period;
        }
        int doublings = Math.min(state.run() - 1, 30);
        Duration retry = FIRST_RETRY.multipliedBy(1L << doublings);
        return retry.compareTo(period) < 0 ? retry : period;
    }
}
