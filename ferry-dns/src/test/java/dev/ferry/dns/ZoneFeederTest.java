package dev.ferry.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dns.zone.ClusterZone;
import dev.ferry.dns.zone.ZoneConfig;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneFeederTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ClusterZone zone = new ClusterZone(ZoneConfig.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
    private final ZoneFeeder feeder = new ZoneFeeder(zone, Clock.fixed(NOW, ZoneOffset.UTC), registry);

    private static Service headless(String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withClusterIP("None").addToSelector("app", name).addNewPort().withPort(80).endPort()
                .endSpec().build();
    }

    private static EndpointSlice slice(String service, String ip, String triggerTime) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(service + "-abc")
                .addToLabels("kubernetes.io/service-name", service)
                .addToAnnotations(ZoneFeeder.TRIGGER_TIME, triggerTime).endMetadata()
                .withAddressType("IPv4").addNewEndpoint().withAddresses(ip).endEndpoint()
                .addNewPort().withPort(80).withProtocol("TCP").endPort().build();
    }

    private Message ask(String name) throws Exception {
        return zone.answer(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1)));
    }

    private HistogramSnapshot.HistogramDataPointSnapshot programming() {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName()
                .equals("ferry_dns_programming_duration_seconds")).map(HistogramSnapshot.class::cast)
                .findFirst().orElseThrow().getDataPoints().getFirst();
    }

    @Test
    void slicesBecomeAnswersAndTheirTriggerTimeIsTheProgrammingLatency() throws Exception {
        feeder.onService(headless("db"), false);
        feeder.onSlice(slice("db", "127.244.0.5", "2026-11-26T11:59:59.750Z"), false);

        Message m = ask("db.ns.svc.cluster.local.");
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).singleElement().asString().contains("127.244.0.5");
        var point = programming();
        assertThat(point.getCount()).isEqualTo(1);
        assertThat(point.getSum()).isEqualTo(0.25);
        assertThat(point.getLabels().get("service_kind")).isEqualTo("headless_with_selector");
    }

    @Test
    void anUnchangedProjectionIsNotAppliedAgain() throws Exception {
        feeder.onService(headless("db"), false);
        feeder.onSlice(slice("db", "127.244.0.5", "2026-11-26T11:59:59Z"), false);
        long generation = zone.generation();
        feeder.onSlice(slice("db", "127.244.0.5", "2026-11-26T11:59:59.5Z"), false);
        feeder.onService(headless("db"), false);
        assertThat(zone.generation()).isEqualTo(generation);
        assertThat(programming().getCount()).isEqualTo(1);
    }

    @Test
    void deletionsRemoveNames() throws Exception {
        feeder.onService(headless("db"), false);
        feeder.onSlice(slice("db", "127.244.0.5", "2026-11-26T11:59:59Z"), false);
        feeder.onSlice(slice("db", "127.244.0.5", "2026-11-26T11:59:59Z"), true);
        assertThat(ask("db.ns.svc.cluster.local.").getRcode()).as("no ready endpoint").isEqualTo(Rcode.NXDOMAIN);
        feeder.onService(headless("db"), true);
        assertThat(ask("db.ns.svc.cluster.local.").getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("ns.svc.cluster.local.").getRcode()).as("the namespace has no Service left")
                .isEqualTo(Rcode.NXDOMAIN);
    }
}
