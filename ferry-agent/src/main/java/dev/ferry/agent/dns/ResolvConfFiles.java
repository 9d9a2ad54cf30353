package dev.ferry.agent.dns;

import dev.ferry.api.net.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pods' resolv.conf files: reads the node's resolv.conf (on every call, as the kubelet does for each
 * sandbox), forms the pod's settings with {@link PodDnsConfigurer} and writes them to {@code <dir>/resolv.conf}
 * (replaced atomically, mode 0644 by the umask). A node file that is missing or unreadable counts as empty (logged).
 */
public final class ResolvConfFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ResolvConfFiles.class);
    public static final String FILE_NAME = "resolv.conf";

    /**
     * @param file the pod's resolv.conf as written, or null when the pod keeps the node's file
     *             ({@link PodDns#hostFile()})
     */
    public record Written(Path file, PodDns dns) {
    }

    private final PodDnsConfigurer configurer;
    private final Path hostResolvConf;

    /**
     * @param hostResolvConf the node's resolv.conf (the kubelet's --resolv-conf), or null for none
     */
    public ResolvConfFiles(PodDnsConfigurer configurer, Path hostResolvConf) {
        this.configurer = configurer;
        this.hostResolvConf = hostResolvConf;
    }

    /** @throws UncheckedIOException when the pod's file cannot be written */
    public Written write(Pod pod, Path dir) {
        PodDns dns = configurer.configure(pod, readHost());
        if (dns.hostFile()) {
            return new Written(null, dns);
        }
        Path file = dir.resolve(FILE_NAME);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.writeString(tmp, dns.conf().render());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Written(file, dns);
    }

    private ResolvConf readHost() {
        if (hostResolvConf == null) {
            return null;
        }
        try {
            return ResolvConf.parse(Files.readString(hostResolvConf));
        } catch (NoSuchFileException e) {
            LOG.warn("node resolv.conf {} does not exist: pods get no node DNS settings", hostResolvConf);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read node resolv.conf {}: {}", hostResolvConf, e.toString());
        }
        return ResolvConf.EMPTY;
    }
}
