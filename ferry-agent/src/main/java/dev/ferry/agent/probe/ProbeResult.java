package dev.ferry.agent.probe;

/** The published result of a probe (kubelet results.Result). */
public enum ProbeResult {
    UNKNOWN, SUCCESS, FAILURE
}
