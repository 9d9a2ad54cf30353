package dev.ferry.apiserver.discovery;

import dev.ferry.api.Json;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code /version} body ({@code version.Info}). {@code minor} matters: the gcloud kubectl dispatcher runs
 * {@code kubectl.1.<minor>}, so the reported minor decides which kubectl users really run.
 */
public record VersionInfo(String major, String minor, String gitVersion, String gitCommit, String gitTreeState,
        String buildDate, String goVersion, String compiler, String platform) {

    /** Kubernetes 1.32 as Ferry reports it; the build fields describe Ferry itself. */
    public static final VersionInfo DEFAULT = new VersionInfo("1", "32", "v1.32.0", "ferry", "clean",
            "1970-01-01T00:00:00Z", "java" + Runtime.version().feature(), "javac", goPlatform());

    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        out.put("major", major);
        out.put("minor", minor);
        out.put("gitVersion", gitVersion);
        out.put("gitCommit", gitCommit);
        out.put("gitTreeState", gitTreeState);
        out.put("buildDate", buildDate);
        out.put("goVersion", goVersion);
        out.put("compiler", compiler);
        out.put("platform", platform);
        return out;
    }

    /** GOOS/GOARCH spelling of the running platform, e.g. "linux/amd64". */
    private static String goPlatform() {
        String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
        String goos = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os;
        String arch = System.getProperty("os.arch", "amd64");
        String goarch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return goos + "/" + goarch;
    }
}
