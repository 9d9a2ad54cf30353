package dev.ferry.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.allocation.IpAllocator;
import dev.ferry.apiserver.allocation.PortAllocator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Update-time rewrites (patching, type-change clean-up) and update validation. */
class ServiceStrategyUpdateTest {
    private final ServiceStrategy strategy = new ServiceStrategy(ServiceNetworkConfig.defaults());
    private final ServiceAllocations allocations = new ServiceAllocations(
            new IpAllocator("127.96.0.0/16", new Random(1)), new PortAllocator(30000, 32767, new Random(2)));

    /** Creates {@code spec} the way the registry would and returns the stored object. */
    private ObjectNode stored(String spec) {
        ObjectNode svc = Manifests.service(spec);
        strategy.prepareForCreate(svc);
        assertThat(strategy.validate(svc)).isEmpty();
        allocations.beforeCreate(svc).commit();
        return svc;
    }

    /** Runs the update steps on {@code update} against {@code old}; returns the rendered errors. */
    private List<String> update(ObjectNode update, ObjectNode old) {
        strategy.prepareForUpdate(update, old);
        return Manifests.render(strategy.validateUpdate(update, old));
    }

    @Test
    void resubmittingTheOriginalManifestKeepsAllocatedValues() {
        String manifest = "{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'name':'http','port':80}]}";
        ObjectNode old = stored(manifest);
        ObjectNode update = Manifests.service(manifest);
        assertThat(update(update, old)).isEmpty();
        assertThat(update.at("/spec/clusterIP")).isEqualTo(old.at("/spec/clusterIP"));
        assertThat(update.at("/spec/clusterIPs")).isEqualTo(old.at("/spec/clusterIPs"));
        assertThat(update.at("/spec/ports/0/nodePort").asInt()).isEqualTo(old.at("/spec/ports/0/nodePort").asInt())
                .isBetween(30000, 32767);
        assertThat(update.at("/spec/healthCheckNodePort").asInt())
                .isEqualTo(old.at("/spec/healthCheckNodePort").asInt()).isPositive();
        assertThat(update.at("/spec/ipFamilyPolicy").asString()).isEqualTo("SingleStack");
    }

    @Test
    void changingTheClusterIpIsRejected() {
        ObjectNode old = stored("{'ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("clusterIP", "127.96.9.9");
        assertThat(update(update, old)).containsExactly(
                "spec.clusterIPs[0]: Invalid value: [\"127.96.9.9\"]: may not change once set");
    }

    @Test
    void changingOnlyClusterIpsIsRejectedAsAMismatch() {
        ObjectNode old = stored("{'ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).set("clusterIPs", Manifests.json("{'a':['127.96.9.9']}").get("a"));
        assertThat(update(update, old)).containsExactly(
                "spec.clusterIPs: Invalid value: [\"127.96.9.9\"]: first value must match `clusterIP`");
    }

    @Test
    void headlessToClusterIpIsRejected() {
        ObjectNode old = stored("{'clusterIP':'None','selector':{'app':'web'},'ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("clusterIP", "127.96.9.9");
        assertThat(update(update, old)).containsExactly(
                "spec.clusterIPs[0]: Invalid value: [\"127.96.9.9\"]: may not change once set");
    }

    @Test
    void changingIpFamiliesIsRejected() {
        ObjectNode old = stored("{'ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).set("ipFamilies", Manifests.json("{'a':['IPv6']}").get("a"));
        assertThat(update(update, old)).containsExactly("spec.clusterIPs[0]: Invalid value: \""
                + old.at("/spec/clusterIP").asString() + "\": expected an IPv6 value as indicated by `ipFamilies[0]`");
    }

    @Test
    void omittedIpFamilyPolicyIsInherited() {
        ObjectNode old = stored("{'ipFamilyPolicy':'PreferDualStack','ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).remove("ipFamilyPolicy");
        assertThat(update(update, old)).isEmpty();
        assertThat(update.at("/spec/ipFamilyPolicy").asString()).isEqualTo("PreferDualStack");
    }

    @Test
    void nodePortToClusterIpWipesUnchangedNodePortsAndTrafficPolicy() {
        ObjectNode old = stored("{'type':'NodePort','ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP");
        assertThat(update(update, old)).isEmpty();
        assertThat(update.at("/spec/ports/0").has("nodePort")).isFalse();
        assertThat(update.at("/spec").has("externalTrafficPolicy")).isFalse();
    }

    @Test
    void nodePortToClusterIpWithAChangedNodePortIsRejected() {
        ObjectNode old = stored("{'type':'NodePort','ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP");
        ((ObjectNode) update.at("/spec/ports/0")).put("nodePort", 30999 == old.at("/spec/ports/0/nodePort").asInt()
                ? 30998 : 30999);
        assertThat(update(update, old)).containsExactly(
                "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    }

    @Test
    void loadBalancerToClusterIpWipesLoadBalancerFieldsAndStatus() {
        ObjectNode old = stored("{'type':'LoadBalancer','externalTrafficPolicy':'Local','allocateLoadBalancerNodePorts':"
                + "true,'loadBalancerClass':'ferry.dev/lb','ports':[{'port':80}]}");
        old.set("status", Manifests.json("{'loadBalancer':{'ingress':[{'ip':'127.240.0.3','ipMode':'VIP'}]}}"));
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP");
        assertThat(update(update, old)).isEmpty();
        ObjectNode spec = (ObjectNode) update.get("spec");
        assertThat(spec.has("allocateLoadBalancerNodePorts")).isFalse();
        assertThat(spec.has("loadBalancerClass")).isFalse();
        assertThat(spec.has("healthCheckNodePort")).isFalse();
        assertThat(spec.has("externalTrafficPolicy")).isFalse();
        assertThat(spec.at("/ports/0").has("nodePort")).isFalse();
        assertThat(update.get("status")).isEqualTo(Manifests.json("{'loadBalancer':{}}"));
        assertThat(spec.get("clusterIP")).isEqualTo(old.at("/spec/clusterIP"));
    }

    @Test
    void clusterIpToExternalNameWipesAddressFields() {
        ObjectNode old = stored("{'ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ExternalName").put("externalName", "db.example.com");
        assertThat(update(update, old)).isEmpty();
        ObjectNode spec = (ObjectNode) update.get("spec");
        assertThat(spec.has("clusterIP")).isFalse();
        assertThat(spec.has("clusterIPs")).isFalse();
        assertThat(spec.has("ipFamilies")).isFalse();
        assertThat(spec.has("ipFamilyPolicy")).isFalse();
    }

    @Test
    void externalNameToClusterIpGetsFamilyDefaults() {
        ObjectNode old = stored("{'type':'ExternalName','externalName':'db.example.com'}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP").remove("externalName");
        ((ObjectNode) update.get("spec")).set("ports", Manifests.json("{'a':[{'port':5432}]}").get("a"));
        assertThat(update(update, old)).isEmpty();
        assertThat(update.at("/spec/ipFamilies/0").asString()).isEqualTo("IPv4");
        assertThat(update.at("/spec/ipFamilyPolicy").asString()).isEqualTo("SingleStack");
        assertThat(update.at("/spec/internalTrafficPolicy").asString()).isEqualTo("Cluster");
    }

    @Test
    void healthCheckNodePortIsImmutableWhileNeeded() {
        ObjectNode old = stored("{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        int hc = old.at("/spec/healthCheckNodePort").asInt();
        ((ObjectNode) update.get("spec")).put("healthCheckNodePort", hc == 31000 ? 31001 : 31000);
        assertThat(update(update, old)).containsExactly("spec.healthCheckNodePort: Forbidden: field is immutable");
    }

    @Test
    void loadBalancerClassMayNotChangeWhileLoadBalancer() {
        ObjectNode old = stored("{'type':'LoadBalancer','loadBalancerClass':'a.io/one','ports':[{'port':80}]}");
        ObjectNode update = old.deepCopy();
        ((ObjectNode) update.get("spec")).put("loadBalancerClass", "b.io/two");
        assertThat(update(update, old)).containsExactly(
                "spec.loadBalancerClass: Invalid value: \"b.io/two\": may not change once set");
    }

    @Test
    void updatesKeepTheStoredStatus() {
        ObjectNode old = stored("{'type':'LoadBalancer','ports':[{'port':80}]}");
        old.set("status", Manifests.json("{'loadBalancer':{'ingress':[{'ip':'127.240.0.3','ipMode':'VIP'}]}}"));
        ObjectNode update = old.deepCopy();
        update.set("status", Manifests.json("{'loadBalancer':{'ingress':[{'ip':'1.2.3.4'}]}}"));
        assertThat(update(update, old)).isEmpty();
        assertThat(update.get("status")).isEqualTo(old.get("status"));
    }

    @Test
    void statusWritesKeepTheSpecAndValidateIngress() {
        ObjectNode old = stored("{'type':'LoadBalancer','ports':[{'port':80}]}");
        ObjectNode write = old.deepCopy();
        ((ObjectNode) write.get("spec")).put("type", "NodePort");
        write.set("status", Manifests.json("{'loadBalancer':{'ingress':[{'ip':'127.240.0.3'},{'ip':'abc'},"
                + "{'hostname':'1.2.3.4'},{'hostname':'lb.example.com','ipMode':'Proxy'}]}}"));
        strategy.prepareForStatusUpdate(write, old);
        assertThat(write.get("spec")).isEqualTo(old.get("spec"));
        assertThat(write.at("/status/loadBalancer/ingress/0/ipMode").asString()).isEqualTo("VIP");
        assertThat(Manifests.render(strategy.validateStatusUpdate(write, old))).containsExactly(
                "status.loadBalancer.ingress[1].ip: Invalid value: \"abc\": must be a valid IP address",
                "status.loadBalancer.ingress[2].hostname: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP "
                        + "address",
                "status.loadBalancer.ingress[3].ipMode: Forbidden: may not be specified when `ip` is not set");
    }
}
