package dev.ferry.agent.pod;

import java.time.Instant;

/** The runtime refused to start an attempt ({@code ContainerRuntime.StartFailure}); reason is the waiting reason. */
public record StartError(String reason, String message, Instant at) {
}
