package dev.ferry.apiserver.table;

import static dev.ferry.apiserver.table.Objects.NOW;
import static dev.ferry.apiserver.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceTableConvertorTest {
    private final ServiceTableConvertor convertor = new ServiceTableConvertor();

    @Test
    void columns() {
        assertThat(convertor.columns()).extracting(ColumnDefinition::name)
                .containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        assertThat(convertor.columns()).extracting(ColumnDefinition::priority).containsExactly(0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void clusterIpService() {
        var row = convertor.row(yaml("""
                metadata: {name: web, creationTimestamp: "2026-11-26T10:00:00Z"}
                spec:
                  type: ClusterIP
                  clusterIP: 10.96.1.101
                  clusterIPs: [10.96.1.101]
                  selector: {tier: front, app: x}
                  ports: [{port: 80, targetPort: 8080, protocol: TCP}, {name: dns, port: 53, protocol: UDP}]
                """), NOW);
        assertThat(row.cells()).containsExactly(
                "web", "ClusterIP", "10.96.1.101", "<none>", "80/TCP,53/UDP", "120m", "app=x,tier=front");
    }

    @Test
    void nodePortServiceShowsNodePortsAndExternalIps() {
        var row = convertor.row(yaml("""
                metadata: {name: np}
                spec:
                  type: NodePort
                  clusterIPs: [10.96.0.20]
                  externalIPs: [192.0.2.1, 192.0.2.2]
                  ports: [{port: 80, nodePort: 30080, protocol: TCP}, {port: 443, nodePort: 30443}]
                """), NOW);
        assertThat(row.cells().subList(1, 5))
                .containsExactly("NodePort", "10.96.0.20", "192.0.2.1,192.0.2.2", "80:30080/TCP,443:30443/TCP");
        assertThat(row.cells().get(5)).isEqualTo("<unknown>");
        assertThat(row.cells().get(6)).isEqualTo("<none>");
    }

    @Test
    void loadBalancerIsPendingUntilIngressIsSet() {
        assertThat(externalIp("spec: {type: LoadBalancer}")).isEqualTo("<pending>");
        assertThat(externalIp("""
                spec: {type: LoadBalancer, externalIPs: [192.0.2.9]}
                status: {loadBalancer: {ingress: [{ip: 203.0.113.7}, {hostname: lb.example.com}, {ip: 203.0.113.1}]}}
                """)).isEqualTo("203.0.113.1,203.0.113.7,lb.example.com,192.0.2.9");
        assertThat(externalIp("""
                spec: {type: LoadBalancer}
                status: {loadBalancer: {ingress: [{hostname: a-very-long-load-balancer-name.example.com}]}}
                """)).isEqualTo("a-very-long-load-balancer-name.example.com");
    }

    @Test
    void headlessAndExternalNameServices() {
        var headless = convertor.row(yaml("""
                metadata: {name: db}
                spec: {type: ClusterIP, clusterIP: None, clusterIPs: [None]}
                """), NOW);
        assertThat(headless.cells().subList(1, 5)).containsExactly("ClusterIP", "None", "<none>", "<none>");
        var external = convertor.row(yaml("""
                metadata: {name: ext}
                spec: {type: ExternalName, externalName: db.example.com}
                """), NOW);
        assertThat(external.cells().subList(1, 5)).containsExactly("ExternalName", "<none>", "db.example.com", "<none>");
    }

    private String externalIp(String yaml) {
        return (String) convertor.row(yaml(yaml), NOW).cells().get(3);
    }
}
