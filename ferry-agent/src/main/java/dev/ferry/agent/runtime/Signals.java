package dev.ferry.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Signals process groups with the system's {@code kill} (the JDK can only signal single processes). */
final class Signals {
    private static final String KILL = Files.isExecutable(Path.of("/usr/bin/kill")) ? "/usr/bin/kill" : "/bin/kill";

    private Signals() {
    }

    /**
     * Sends {@code signal} (a name such as TERM or KILL) to every process of group {@code pgid}.
     *
     * @return false when there is no such group or the signal could not be sent
     */
    static boolean group(long pgid, String signal) {
        if (pgid <= 1) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder(KILL, "-s", signal, "--", "-" + pgid)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
