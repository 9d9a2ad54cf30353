package dev.ferry.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
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
}
