package dev.ferry.apiserver.table;

import static dev.ferry.apiserver.table.Objects.NOW;
import static dev.ferry.apiserver.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Endpoints and EndpointSlices. */
class NetworkTableConvertorsTest {

    @Test
    void endpointsListAtMostThreeThenCountsTheRest() {
        var convertor = new EndpointsTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Endpoints", "Age");
        var row = convertor.row(yaml("""
                metadata: {name: web, creationTimestamp: "2026-11-26T11:00:00Z"}
                subsets:
                - addresses: [{ip: 10.244.0.5}, {ip: 10.244.0.6}]
                  notReadyAddresses: [{ip: 10.244.0.9}]
                  ports: [{name: http, port: 8080}, {name: https, port: 8443}]
                - addresses: [{ip: "fd00::1"}]
                  ports: [{port: 9090}]
                """), NOW);
        assertThat(row.cells()).containsExactly(
                "web", "10.244.0.5:8080,10.244.0.6:8080,10.244.0.5:8443 + 2 more...", "60m");
    }

    @Test
    void endpointsWithoutPortsOrSubsets() {
        var convertor = new EndpointsTableConvertor();
        assertThat(convertor.row(yaml("""
                metadata: {name: headless}
                subsets: [{addresses: [{ip: "fd00::1"}, {ip: 10.0.0.1}]}]
                """), NOW).cells().get(1)).isEqualTo("fd00::1,10.0.0.1");
        assertThat(convertor.row(yaml("metadata: {name: empty}"), NOW).cells().get(1)).isEqualTo("<none>");
        assertThat(convertor.row(yaml("""
                subsets: [{addresses: [{ip: "fd00::1"}], ports: [{port: 80}]}]
                """), NOW).cells().get(1)).isEqualTo("[fd00::1]:80");
    }

    @Test
    void endpointSlice() {
        var convertor = new EndpointSliceTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name)
                .containsExactly("Name", "AddressType", "Ports", "Endpoints", "Age");
        var row = convertor.row(yaml("""
                metadata: {name: web-abc12, creationTimestamp: "2026-11-26T11:59:30Z"}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}, {name: named}, {}, {port: 1}, {port: 2}]
                endpoints:
                - addresses: [10.244.0.5]
                  conditions: {ready: true}
                - addresses: [10.244.0.6, 10.244.0.7]
                """), NOW);
        assertThat(row.cells()).containsExactly("web-abc12", "IPv4", "8080,named,* + 2 more...",
                "10.244.0.5,10.244.0.6,10.244.0.7", "30s");
        assertThat(convertor.row(yaml("addressType: IPv6"), NOW).cells().subList(2, 4))
                .containsExactly("<unset>", "<unset>");
    }
}
