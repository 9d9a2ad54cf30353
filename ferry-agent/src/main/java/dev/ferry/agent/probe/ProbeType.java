package dev.ferry.agent.probe;

/** The three probes of a container; the name is how events spell it ("Readiness probe failed: ..."). */
public enum ProbeType {
    READINESS("Readiness"), LIVENESS("Liveness"), STARTUP("Startup");

    private final String title;

    ProbeType(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
