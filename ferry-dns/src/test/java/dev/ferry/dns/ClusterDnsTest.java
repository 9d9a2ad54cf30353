package dev.ferry.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The cluster DNS against a real API server: answers follow Services, and it creates kube-system/kube-dns. */
class ClusterDnsTest {
    private LocalApiServer api;
    private KubernetesClient client;
    private SharedInformers informers;
    private ClusterDns dns;
    private String dnsIp;

    @BeforeEach
    void setUp() throws Exception {
        int block = ThreadLocalRandom.current().nextInt(256);
        api = LocalApiServer.start("127.91." + block + ".0/24");
        client = Clients.connect(api.url(), "dns-test");
        informers = new SharedInformers(client);
        dnsIp = "127.91." + block + ".10";
        DnsConfig config = new DnsConfig("cluster.local", 5,
                List.of(new InetSocketAddress(InetAddress.getByName(dnsIp), 0)), List.of(),
                new InetSocketAddress(InetAddress.getByName(dnsIp), 0), true);
        dns = ClusterDns.start(informers, config, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        dns.close();
        informers.close();
        client.close();
        api.close();
    }

    private Message query(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns.udpAddresses().getFirst());
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, 1)));
    }

    @Test
    void answersFollowServicesAndKubeDnsIsCreated() throws Exception {
        Service web = client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build())
                .create();
        String ip = web.getSpec().getClusterIP();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                query("web.default.svc.cluster.local.", Type.A).getSection(Section.ANSWER))
                .singleElement().extracting(r -> ((ARecord) r).getAddress().getHostAddress()).isEqualTo(ip));

        client.services().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> query("web.default.svc.cluster.local.", Type.A)
                .getRcode() == Rcode.NXDOMAIN);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.services()
                .inNamespace("kube-system").withName("kube-dns").get()).isNotNull()
                .extracting(s -> s.getSpec().getClusterIP()).isEqualTo(dnsIp));
        assertThat(query("example.org.", Type.A).getRcode()).as("no upstream").isEqualTo(Rcode.REFUSED);
    }

    @Test
    void servesMetricsAndHealth() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        query("dns-version.cluster.local.", Type.TXT);
        URI base = URI.create("http://" + dnsIp + ":" + dns.httpAddress().getPort());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ferry_dns_requests_total").contains("type=\"TXT\"");
        for (String path : List.of("/health", "/ready")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("OK");
        }
    }
}
