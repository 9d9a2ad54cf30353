package dev.ferry.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfFilesTest {
    @TempDir
    Path dir;

    private static Pod pod(String policy) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("team").withUid("u1").endMetadata()
                .withNewSpec().withDnsPolicy(policy).endSpec().build();
    }

    @Test
    void writesTheClusterFileFromTheNodesFile() throws Exception {
        Path node = dir.resolve("node-resolv.conf");
        Files.writeString(node, "# node\nnameserver 10.255.255.53\nsearch corp.example\noptions edns0\n");
        ResolvConfFiles files = new ResolvConfFiles(new PodDnsConfigurer(List.of("127.96.0.10"), "cluster.local"),
                node);
        ResolvConfFiles.Written written = files.write(pod("ClusterFirst"), dir.resolve("pods/u1"));
        assertThat(written.file()).isEqualTo(dir.resolve("pods/u1/resolv.conf"));
        assertThat(Files.readString(written.file())).isEqualTo("""
                search team.svc.cluster.local svc.cluster.local cluster.local corp.example
                nameserver 127.96.0.10
                options ndots:5
                """);
        assertThat(Files.readString(node)).startsWith("# node\n");
    }

    @Test
    void leavesDefaultPodsOnTheNodesFile() throws Exception {
        Path node = dir.resolve("node-resolv.conf");
        Files.writeString(node, "nameserver 10.255.255.53\n");
        ResolvConfFiles files = new ResolvConfFiles(new PodDnsConfigurer(List.of("127.96.0.10"), "cluster.local"),
                node);
        ResolvConfFiles.Written written = files.write(pod("Default"), dir.resolve("pods/u1"));
        assertThat(written.file()).isNull();
        assertThat(written.dns().conf().nameservers()).containsExactly("10.255.255.53");
        assertThat(dir.resolve("pods/u1/resolv.conf")).doesNotExist();
    }

    @Test
    void aMissingNodeFileCountsAsEmpty() throws Exception {
        ResolvConfFiles files = new ResolvConfFiles(new PodDnsConfigurer(List.of("127.96.0.10"), "cluster.local"),
                dir.resolve("absent"));
        ResolvConfFiles.Written written = files.write(pod(null), dir.resolve("pods/u2"));
        assertThat(Files.readString(written.file())).isEqualTo("""
                search team.svc.cluster.local svc.cluster.local cluster.local
                nameserver 127.96.0.10
                options ndots:5
                """);
    }
}
