package dev.ferry.agent.runtime;

import dev.ferry.api.net.ResolvConf;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a container process comes to see its pod's resolv.conf ({@link ContainerLaunch#resolvConf()}).
 *
 * <p>{@link #PRIVATE_MOUNT} (the agent runs as root and util-linux {@code unshare} can make a mount namespace): the
 * command runs as {@code unshare --mount --propagation private sh -c 'mount --bind FILE /etc/resolv.conf && exec
 * "$@"' … env -u PWD … COMMAND} (env takes back what the shell added to the environment). Neither {@code unshare}
 * (no {@code --fork}) nor {@code exec} nor {@code env} forks, so the container's pid stays the pid
 * the runtime started (and {@code setsid} made a session and group leader); only the short-lived {@code mount} is a
 * child. The bind mount lives in the container's own mount namespace: the node's /etc/resolv.conf and other pods
 * are untouched, and it goes away with the container's processes. A failed mount fails the container (mount's exit
 * code, its message in the log).
 *
 * <p>{@link #ENVIRONMENT} (anything else): processes read the node's /etc/resolv.conf; the pod's settings are only
 * in the container's environment, below the launch's own variables (which win on a clash):
 * <ul>
 *   <li>{@value #ENV_FILE}: the path of the pod's resolv.conf file</li>
 *   <li>{@value #ENV_NAMESERVERS}: its nameservers, comma-separated</li>
 *   <li>{@value #ENV_SEARCH}: its search domains, space-separated (as in resolv.conf and LOCALDOMAIN)</li>
 *   <li>{@value #ENV_OPTIONS}: its options, space-separated (as in resolv.conf and RES_OPTIONS)</li>
 * </ul>
 * A launch without a pod file (the pod keeps the node's file) gets neither.
 */
public enum ResolvConfDelivery {
    PRIVATE_MOUNT,
    ENVIRONMENT;

    public static final String ENV_FILE = "FERRY_RESOLV_CONF";
    public static final String ENV_NAMESERVERS = "FERRY_DNS_NAMESERVERS";
    public static final String ENV_SEARCH = "FERRY_DNS_SEARCH";
    public static final String ENV_OPTIONS = "FERRY_DNS_OPTIONS";
    static final Path TARGET = Path.of("/etc/resolv.conf");
    private static final Logger LOG = LoggerFactory.getLogger(ResolvConfDelivery.class);
    private static final String UNSHARE = firstExecutable("/usr/bin/unshare", "/bin/unshare");
    private static final String MOUNT = firstExecutable("/usr/bin/mount", "/bin/mount");
    private static final String SH = firstExecutable("/bin/sh", "/usr/bin/sh");
    private static final String ENV = firstExecutable("/usr/bin/env", "/bin/env");
    /** What a shell adds to the environment of the command it execs (dash: PWD; bash: also SHLVL, _, OLDPWD). */
    private static final List<String> SHELL_VARIABLES = List.of("PWD", "OLDPWD", "SHLVL", "_");
    private static final String SCRIPT = "f=$1; shift; " + MOUNT + " --bind \"$f\" " + TARGET + " && exec \"$@\"";

    private static final class Detected {
        static final ResolvConfDelivery VALUE = probe();
    }

    /** {@link #PRIVATE_MOUNT} when this process's euid is 0 and a trial private bind mount works; probed once. */
    public static ResolvConfDelivery detect() {
        return Detected.VALUE;
    }

    /**
     * The argument vector that runs {@code argv} seeing {@code file} as /etc/resolv.conf (PRIVATE_MOUNT only), with
     * exactly the environment {@code env}: {@code env -u} takes back what the shell adds (PWD, …), and the
     * container's own values of those names are set again after the shell changed them. {@code env} execs too, so
     * the pid is still the container's.
     */
    static List<String> wrap(List<String> argv, Path file, Map<String, String> env) {
        List<String> out = new ArrayList<>(argv.size() + 18);
        out.addAll(List.of(UNSHARE, "--mount", "--propagation", "private", SH, "-c", SCRIPT, "ferry-resolv-conf",
                file.toAbsolutePath().toString(), ENV));
        List<String> own = new ArrayList<>();
        for (String name : SHELL_VARIABLES) {
            if (env.containsKey(name)) {
                own.add(name + "=" + env.get(name));
            } else {
                out.add("-u");
                out.add(name);
            }
        }
        out.add("--");
        out.addAll(own);
        out.addAll(argv);
        return out;
    }

    /** The variables that carry the settings of the pod's {@code file} (ENVIRONMENT); empty when it is unreadable. */
    static Map<String, String> environment(Path file) {
        ResolvConf conf;
        try {
            conf = ResolvConf.parse(Files.readString(file));
        } catch (IOException e) {
            LOG.warn("cannot read the pod's resolv.conf {}: {}", file, e.toString());
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_FILE, file.toAbsolutePath().toString());
        env.put(ENV_NAMESERVERS, String.join(",", conf.nameservers()));
        env.put(ENV_SEARCH, String.join(" ", conf.searches()));
        env.put(ENV_OPTIONS, String.join(" ", conf.options()));
        return env;
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static ResolvConfDelivery probe() {
        if (!isRoot() || UNSHARE == null || MOUNT == null || SH == null || !Files.exists(TARGET)) {
            LOG.info("pods see the node's /etc/resolv.conf; their DNS settings are in ${}, ${}, ${}, ${} "
                    + "(private mounts need root and unshare)", ENV_FILE, ENV_NAMESERVERS, ENV_SEARCH, ENV_OPTIONS);
            return ENVIRONMENT;
        }
        Path trial = null;
        try {
            trial = Files.createTempFile("ferry-resolv-probe", ".conf");
            Files.writeString(trial, "# ferry probe\n");
            Process p = new ProcessBuilder(wrap(List.of("true"), trial, Map.of())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return PRIVATE_MOUNT;
            }
            p.destroyForcibly();
            LOG.warn("a private mount namespace is not available (unshare/mount failed): pods see the node's "
                    + "/etc/resolv.conf; their DNS settings are in ${} ...", ENV_FILE);
        } catch (IOException e) {
            LOG.warn("cannot probe private mounts: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (trial != null) {
                try {
                    Files.deleteIfExists(trial);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
        return ENVIRONMENT;
    }

    private static String firstExecutable(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }
}
