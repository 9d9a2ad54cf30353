package dev.ferry.agent.server;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/** Where the kubelet server finds a container attempt's log (the pod manager implements it). */
public interface ContainerLogs {
    /**
     * The log of the current attempt of {@code container} (the live one, else the latest ended one), or with
     * {@code previous} the attempt before.
     *
     * @throws NotFound with the message the client shows (404)
     */
    Log find(String namespace, String pod, String container, boolean previous) throws NotFound;

    /**
     * @param file  the attempt's log file (may not exist yet)
     * @param ended completes when the attempt has ended (already complete for an ended attempt)
     */
    record Log(Path file, CompletionStage<?> ended) {
    }

    /** Nothing to serve; the message is the 404 body. */
    final class NotFound extends Exception {
        public NotFound(String message) {
            super(message);
        }
    }
}
