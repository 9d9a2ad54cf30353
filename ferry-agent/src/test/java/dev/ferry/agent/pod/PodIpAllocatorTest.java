package dev.ferry.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodIpAllocatorTest {
    @TempDir
    Path dir;

    @Test
    void handsOutTwoToTwoFiftyFourOfASlash24() {
        PodIpAllocator a = new PodIpAllocator("127.244.3.0/24", dir.resolve("ips"));
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 253; i++) {
            ips.add(a.allocate("pod-" + i));
        }
        assertThat(ips).hasSize(253).contains("127.244.3.2", "127.244.3.254").doesNotContain("127.244.3.1",
                "127.244.3.255", "127.244.3.0");
        assertThatThrownBy(() -> a.allocate("one-too-many")).hasMessageContaining("no free pod IP");
        a.release("pod-7");
        assertThat(a.allocate("one-too-many")).isEqualTo("127.244.3.9");
    }

    @Test
    void samePodSameIp() {
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", dir.resolve("ips"));
        assertThat(a.allocate("u1")).isEqualTo(a.allocate("u1"));
    }

    @Test
    void persistsAcrossInstances() {
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", dir.resolve("ips"));
        String ip1 = a.allocate("u1");
        String ip2 = a.allocate("u2");
        a.release("u1");
        PodIpAllocator b = new PodIpAllocator("127.244.0.0/24", dir.resolve("ips"));
        assertThat(b.get("u2")).isEqualTo(ip2);
        assertThat(b.get("u1")).isNull();
        assertThat(b.allocate("u3")).isNotEqualTo(ip2);
        b.retain(Set.of("u3"));
        assertThat(new PodIpAllocator("127.244.0.0/24", dir.resolve("ips")).assignments()).containsOnlyKeys("u3");
        assertThat(ip1).isNotEqualTo(ip2);
    }

    @Test
    void claimsAnAdoptedIpUnlessTaken() {
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", dir.resolve("ips"));
        assertThat(a.claim("u1", "127.244.0.77")).isTrue();
        assertThat(a.claim("u2", "127.244.0.77")).isFalse();
        assertThat(a.get("u1")).isEqualTo("127.244.0.77");
    }

    @Test
    void restartKeepsEachPodsIpAndRetainReleasesTheOthers() {
        Path ips = dir.resolve("pod-ips");
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", ips);
        String ip1 = a.allocate("u1");
        String ip2 = a.allocate("u2");
        assertThat(a.claim("u3", "127.244.0.77")).isTrue();
        PodIpAllocator restarted = new PodIpAllocator("127.244.0.0/24", ips);
        assertThat(restarted.assignments()).isEqualTo(Map.of("u1", ip1, "u2", ip2, "u3", "127.244.0.77"));
        assertThat(restarted.allocate("u4")).isNotIn(ip1, ip2, "127.244.0.77");
        restarted.retain(Set.of("u2"));
        assertThat(new PodIpAllocator("127.244.0.0/24", ips).assignments()).isEqualTo(Map.of("u2", ip2));
    }

    @Test
    void oneFilePerAssignedIpNamedByTheIpHoldingThePodUid() throws Exception {
        Path ips = dir.resolve("pod-ips");
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", ips);
        String ip1 = a.allocate("u1");
        String ip2 = a.allocate("u2");
        assertThat(files(ips)).containsExactlyInAnyOrder(ip1, ip2);
        assertThat(Files.readString(ips.resolve(ip1))).isEqualTo("u1");
        a.release("u1");
        assertThat(files(ips)).containsExactly(ip2);
        assertThat(a.claim("u2", "127.244.0.50")).isTrue();
        assertThat(files(ips)).containsExactly("127.244.0.50");
        assertThat(Files.readString(ips.resolve("127.244.0.50"))).isEqualTo("u2");
    }

    @Test
    void loadSkipsWhatACrashLeftBehind() throws Exception {
        Path ips = Files.createDirectories(dir.resolve("pod-ips"));
        Files.writeString(ips.resolve(".127.244.0.9.tmp"), "half");
        Files.writeString(ips.resolve("127.244.0.5"), "u1");
        Files.writeString(ips.resolve("127.244.0.6"), "u1"); // mid-claim: u1's old and new IP
        Files.writeString(ips.resolve("127.244.9.9"), "u2"); // another CIDR
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", ips);
        assertThat(a.assignments()).isEqualTo(Map.of("u1", "127.244.0.5"));
        assertThat(files(ips)).containsExactly("127.244.0.5");
        assertThat(a.claim("u3", "127.244.0.6")).isTrue();
    }

    @Test
    void migratesTheFormerSingleFile() throws Exception {
        Path ips = dir.resolve("pod-ips");
        Files.writeString(ips, "u1 127.244.0.2\nu2 127.244.0.3\n");
        PodIpAllocator a = new PodIpAllocator("127.244.0.0/24", ips);
        assertThat(a.assignments()).isEqualTo(Map.of("u1", "127.244.0.2", "u2", "127.244.0.3"));
        assertThat(Files.isDirectory(ips)).isTrue();
        assertThat(files(ips)).containsExactlyInAnyOrder("127.244.0.2", "127.244.0.3");
        assertThat(dir.resolve("pod-ips.old")).doesNotExist();
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
