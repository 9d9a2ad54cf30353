package dev.ferry.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {
    private final UnknownFields fields = new UnknownFields(PatchSchema.kube());

    @Test
    void aFullyDeclaredServiceHasNone() {
        var svc = Json.MAPPER.readTree("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"},
                 "annotations":{"a":"b"}},
                 "spec":{"selector":{"app":"web"},"type":"NodePort","sessionAffinity":"ClientIP",
                  "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}},
                  "ports":[{"name":"http","port":80,"targetPort":"http","nodePort":30080,"protocol":"TCP"}]},
                 "status":{"loadBalancer":{}}}""");
        assertThat(fields.find("Service", svc)).isEmpty();
    }

    @Test
    void reportsEveryUndeclaredFieldWithItsPath() {
        var svc = Json.MAPPER.readTree("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","colour":"red"},
                 "spec":{"ports":[{"port":80},{"port":81,"targetport":81}],"foo":1}}""");
        assertThat(fields.find("Service", svc))
                .containsExactly("metadata.colour", "spec.ports[1].targetport", "spec.foo");
    }

    @Test
    void mapsAndPodTemplatesAreWalked() {
        var dep = Json.MAPPER.readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
                  "template":{"metadata":{"labels":{"app":"d"}},
                   "spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"cpu":"1"}},
                    "ports":[{"containerPort":80,"hostIp":"x"}]}]}}}}""");
        assertThat(fields.find("Deployment", dep)).containsExactly("spec.template.spec.containers[0].ports[0].hostIp");
    }

    @Test
    void pruneDropsUndeclaredFieldsAndKeepsTheRest() {
        var svc = (tools.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","colour":"red"},
                 "spec":{"ports":[{"port":81,"targetport":81}],"selector":{"odd.key/x":"y"}}}""");
        assertThat(fields.prune("Service", svc)).containsExactly("metadata.colour", "spec.ports[0].targetport");
        assertThat(svc.toString()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":"
                + "{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":81}],\"selector\":{\"odd.key/x\":\"y\"}}}");
    }

    @Test
    void kindsWithoutASchemaAcceptAnything() {
        assertThat(fields.find("Widget", Json.MAPPER.readTree("{\"anything\":1}"))).isEmpty();
    }
}
