package dev.ferry.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SubsetsTest {
    private static EndpointAddress addr(String ip, String uid) {
        return new EndpointAddress(null, ip, null, uid == null ? null
                : new ObjectReference(null, null, "Pod", uid, "ns", null, uid));
    }

    private static EndpointPort port(String name, int port) {
        return new EndpointPort(null, name, port, "TCP");
    }

    private static EndpointSubset subset(List<EndpointAddress> ready, List<EndpointAddress> notReady,
            EndpointPort... ports) {
        return new EndpointSubset(new ArrayList<>(ready), new ArrayList<>(notReady), new ArrayList<>(List.of(ports)));
    }

    private static String render(List<EndpointSubset> subsets) {
        return subsets.stream().map(s -> s.getPorts().stream().map(p -> p.getName() + ":" + p.getPort())
                .collect(Collectors.joining(",")) + " " + s.getAddresses().stream().map(EndpointAddress::getIp)
                .collect(Collectors.joining(",")) + "|" + s.getNotReadyAddresses().stream()
                .map(EndpointAddress::getIp).collect(Collectors.joining(","))).collect(Collectors.joining("; "));
    }

    @Test
    void repackMergesAddressesWithTheSamePortsAndPortsWithTheSameAddresses() {
        List<EndpointSubset> in = List.of(
                subset(List.of(addr("10.0.0.2", "b")), List.of(), port("http", 80)),
                subset(List.of(addr("10.0.0.1", "a")), List.of(), port("http", 80)),
                subset(List.of(addr("10.0.0.1", "a")), List.of(), port("https", 443)),
                subset(List.of(addr("10.0.0.2", "b")), List.of(), port("https", 443)));
        assertThat(render(Subsets.repack(in))).isEqualTo("http:80,https:443 10.0.0.1,10.0.0.2|");
    }

    @Test
    void notReadyWinsForTheSameAddressAndPort() {
        List<EndpointSubset> in = List.of(
                subset(List.of(addr("10.0.0.1", "a")), List.of(), port("http", 80)),
                subset(List.of(), List.of(addr("10.0.0.1", "a")), port("http", 80)),
                subset(List.of(addr("10.0.0.1", "a")), List.of(), port("http", 80)));
        assertThat(render(Subsets.repack(in))).isEqualTo("http:80 |10.0.0.1");
    }

    @Test
    void sameIpOfDifferentPodsStaysTwoAddresses() {
        List<EndpointSubset> in = List.of(
                subset(List.of(addr("10.0.0.1", "b")), List.of(), port("http", 80)),
                subset(List.of(addr("10.0.0.1", "a")), List.of(), port("http", 80)));
        List<EndpointSubset> out = Subsets.repack(in);
        assertThat(out.get(0).getAddresses()).extracting(a -> a.getTargetRef().getUid()).containsExactly("a", "b");
    }

    @Test
    void truncateKeepsReadyFirstAndSharesProportionally() {
        List<EndpointAddress> r1 = new ArrayList<>();
        List<EndpointAddress> n1 = new ArrayList<>();
        List<EndpointAddress> r2 = new ArrayList<>();
        List<EndpointAddress> n2 = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            r1.add(addr("10.1." + i / 200 + "." + i % 200, "r1-" + i));
            r2.add(addr("10.2." + i / 200 + "." + i % 200, "r2-" + i));
        }
        for (int i = 0; i < 150; i++) {
            n1.add(addr("10.3.0." + i, "n1-" + i));
            n2.add(addr("10.4.0." + i, "n2-" + i));
        }
        List<EndpointSubset> out = Subsets.truncate(List.of(subset(r1, n1, port("a", 1)), subset(r2, n2,
                port("b", 2))));
        assertThat(out).extracting(s -> s.getAddresses().size()).containsExactly(450, 450);
        assertThat(out).extracting(s -> s.getNotReadyAddresses().size()).containsExactly(50, 50);

        List<EndpointAddress> big = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            big.add(addr("10.5." + i / 200 + "." + i % 200, "big-" + i));
        }
        List<EndpointSubset> onlyReady = Subsets.truncate(List.of(subset(big, n1, port("a", 1))));
        assertThat(onlyReady.get(0).getAddresses()).hasSize(1000);
        assertThat(onlyReady.get(0).getNotReadyAddresses()).isEmpty();
    }

    @Test
    void equalIgnoresTargetResourceVersionAndEmptyVersusMissing() {
        EndpointAddress a = addr("10.0.0.1", "a");
        EndpointAddress b = addr("10.0.0.1", "a");
        b.getTargetRef().setResourceVersion("42");
        EndpointSubset x = subset(List.of(a), List.of(), new EndpointPort(null, "", 80, "TCP"));
        EndpointSubset y = new EndpointSubset(List.of(b), null, List.of(new EndpointPort(null, null, 80, null)));
        assertThat(Subsets.equal(List.of(x), List.of(y))).isTrue();
        assertThat(Subsets.equal(null, List.of())).isTrue();
        assertThat(Subsets.equal(List.of(x), List.of())).isFalse();
    }
}
