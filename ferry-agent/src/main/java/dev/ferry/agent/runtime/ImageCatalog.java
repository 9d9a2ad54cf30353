package dev.ferry.agent.runtime;

import dev.ferry.agent.runtime.ContainerRuntime.StartFailure;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Maps image names to what a container process runs, with Kubernetes' command semantics.
 *
 * <p>Image names are normalised first ({@link #normalize}: no {@code docker.io/}, {@code library/}, tag or digest).
 * Built-ins:
 * <ul>
 *   <li>{@code ferry/serve-hostname} and {@code ferry/echo}: a child JVM running the image's main class from
 *       {@code dev.ferry.images} (the running JVM's {@code java}, {@link #IMAGE_JVM_FLAGS}, the class path entry that
 *       holds those classes: the Ferry jar in production, {@code ferry-images/target/classes} in tests);</li>
 *   <li>{@code ferry/host}, {@code busybox}, {@code alpine}: no entrypoint, default command {@code sh}: the
 *       container's command and args run on the host, as with a busybox image.</li>
 * </ul>
 * Then the user's image map ({@link #parseImageMap}), whose command lines are entrypoints; an entry there replaces a
 * built-in of the same name. Every image's environment has {@code PATH} (the agent's own, else the usual default),
 * below the container's variables.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageCatalog {
    /** Flags of built-in image JVMs: a small heap and quick start matter more than peak throughput. */
    public static final List<String> IMAGE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss256k", "-Xmx32m", "-XX:-UsePerfData", "-Xshare:auto");
    /** The reason of an unknown image, as the kubelet reports a failed pull. */
    public static final String ERR_IMAGE_PULL = "ErrImagePull";

    private static final String SERVE_HOSTNAME_MAIN = "dev.ferry.images.ServeHostname";
    private static final String ECHO_MAIN = "dev.ferry.images.Echo";
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> HOST_ALIASES = List.of("ferry/host", "busybox", "alpine");

    /**
     * What an image runs.
     *
     * @param entrypoint replaced by a container's {@code command}
     * @param cmd        the default arguments, replaced by a container's {@code args} (and dropped when the container
     *                   sets {@code command})
     * @param env        the image's environment, below the container's
     */
    public record Image(String name, List<String> entrypoint, List<String> cmd, Map<String, String> env) {
        public Image {
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            env = Map.copyOf(env);
        }
    }

    private final Map<String, Image> images;
    private final String builtInList;
    private final Path imageMapFile;

    ImageCatalog(String java, String imagesClassPath, Path imageMapFile, Map<String, List<String>> imageMap,
            String hostPath) {
        Map<String, String> env = Map.of("PATH", hostPath == null || hostPath.isBlank() ? DEFAULT_PATH : hostPath);
        Map<String, Image> all = new LinkedHashMap<>();
        if (imagesClassPath != null) {
            all.put("ferry/serve-hostname", javaImage("ferry/serve-hostname", java, imagesClassPath,
                    SERVE_HOSTNAME_MAIN, env));
            all.put("ferry/echo", javaImage("ferry/echo", java, imagesClassPath, ECHO_MAIN, env));
        }
        for (String alias : HOST_ALIASES) {
            all.put(alias, new Image(alias, List.of(), List.of("sh"), env));
        }
        this.builtInList = "ferry/echo, ferry/host (also busybox, alpine), ferry/serve-hostname";
        imageMap.forEach((name, line) -> all.put(normalize(name), new Image(normalize(name), line, List.of(), env)));
        this.images = Map.copyOf(all);
        this.imageMapFile = imageMapFile;
    }

    /** The built-in images only. */
    public static ImageCatalog builtIns() {
        return new ImageCatalog(javaCommand(), imagesClassPath(), null, Map.of(), System.getenv("PATH"));
    }

    /**
     * The built-ins plus the image map in {@code file}.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException with "file:line: problem" when an entry is malformed
     */
    public static ImageCatalog withImageMap(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return new ImageCatalog(javaCommand(), imagesClassPath(), file, parseImageMap(lines, file.toString()),
                System.getenv("PATH"));
    }

    /**
     * Parses an image map: one {@code image = command line} per line, blank lines and lines starting with {@code #}
     * ignored, the command line split with shell-like quoting (no expansion). Image names are normalised; a later
     * line for the same image wins.
     *
     * @throws IllegalArgumentException with "source:line: problem"
     */
    public static Map<String, List<String>> parseImageMap(List<String> lines, String source) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(where + "expected 'image = command line', got: " + line);
            }
            String image = normalize(line.substring(0, eq));
            if (image.isEmpty()) {
                throw new IllegalArgumentException(where + "missing image name before '='");
            }
            List<String> command;
            try {
                command = CommandLine.split(line.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (command.isEmpty()) {
                throw new IllegalArgumentException(where + "missing command line for image " + image);
            }
            map.put(image, command);
        }
        return map;
    }

    /**
     * The name an image is looked up by: without a digest ({@code @...}), a tag ({@code :...} after the last
     * {@code /}), a {@code docker.io/} or {@code index.docker.io/} registry and a {@code library/} namespace.
     */
    public static String normalize(String image) {
        String s = image.strip();
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            s = s.substring(0, colon);
        }
        for (String registry : List.of("docker.io/", "index.docker.io/")) {
            if (s.startsWith(registry)) {
                s = s.substring(registry.length());
            }
        }
        if (s.startsWith("library/")) {
            s = s.substring("library/".length());
        }
        return s;
    }

    /** The image {@code image} names. */
    public Image resolve(String image) throws StartFailure {
        Image found = images.get(normalize(Objects.requireNonNullElse(image, "")));
        if (found == null) {
            String name = normalize(Objects.requireNonNullElse(image, ""));
            if (name.equals("ferry/serve-hostname") || name.equals("ferry/echo")) {
                throw new StartFailure(ERR_IMAGE_PULL, "built-in image \"" + image + "\" is unavailable: its classes ("
                        + SERVE_HOSTNAME_MAIN.substring(0, SERVE_HOSTNAME_MAIN.lastIndexOf('.'))
                        + ") are not on the agent's class path");
            }
            throw new StartFailure(ERR_IMAGE_PULL, "image \"" + image + "\" is not a Ferry built-in and "
                    + (imageMapFile == null ? "no image map file is configured"
                    : "is not in the image map " + imageMapFile) + "; built-ins: " + builtInList);
        }
        return found;
    }

    /**
     * The process's argument vector, as a container runtime builds it: {@code command} replaces the entrypoint (and
     * drops the image's default arguments), {@code args} replace the default arguments.
     *
     * @throws StartFailure "RunContainerError" when the result is empty (no command anywhere)
     */
    public static List<String> argv(Image image, List<String> command, List<String> args) throws StartFailure {
        List<String> argv = new ArrayList<>();
        if (command.isEmpty()) {
            argv.addAll(image.entrypoint());
            argv.addAll(args.isEmpty() ? image.cmd() : args);
        } else {
            argv.addAll(command);
            argv.addAll(args);
        }
        if (argv.isEmpty()) {
            throw new StartFailure("RunContainerError", "no command specified: image \"" + image.name()
                    + "\" has no entrypoint and the container sets no command or args");
        }
        return argv;
    }

    /** Image names known to this catalog, sorted (for messages and help). */
    public List<String> names() {
        return List.copyOf(new TreeMap<>(images).keySet());
    }

    private static Image javaImage(String name, String java, String classPath, String mainClass,
            Map<String, String> env) {
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add(java);
        entrypoint.addAll(IMAGE_JVM_FLAGS);
        entrypoint.add("-cp");
        entrypoint.add(classPath);
        entrypoint.add(mainClass);
        return new Image(name, entrypoint, List.of(), env);
    }

    /** The running JVM's launcher, so that images run on the same Java as the agent. */
    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The class path entry (jar or directory) holding the built-in images' classes, or null when they are not on the
     * class path. Looked up by name, so that this module compiles against any build of ferry-images.
     */
    static String imagesClassPath() {
        try {
            Class<?> main = Class.forName(SERVE_HOSTNAME_MAIN, false, ImageCatalog.class.getClassLoader());
            return Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the classes of the built-in images", e);
        }
    }
}
