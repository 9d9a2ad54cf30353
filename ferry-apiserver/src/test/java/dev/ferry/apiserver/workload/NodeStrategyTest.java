package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.validation.FieldError;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class NodeStrategyTest {
    private final NodeStrategy strategy = new NodeStrategy();

    @Test
    void createKeepsStatusAndSyncsPodCidr() {
        ObjectNode node = json("{'metadata':{'name':'n1'},'spec':{'podCIDR':'10.244.1.0/24'},"
                + "'status':{'addresses':[{'type':'InternalIP','address':'127.0.0.2'}]}}");
        strategy.prepareForCreate(node);
        assertThat(node.at("/spec/podCIDRs").toString()).isEqualTo("[\"10.244.1.0/24\"]");
        assertThat(node.at("/status/addresses/0/address").asString()).isEqualTo("127.0.0.2");
        assertThat(strategy.tracksGeneration()).isFalse();
        assertThat(strategy.validate(node)).isEmpty();
    }

    @Test
    void taints() {
        ObjectNode node = json("{'metadata':{'name':'n1'},'spec':{'taints':[{'key':'a','effect':'NoSchedule'},"
                + "{'key':'a','effect':'NoSchedule'},{'key':'b','value':'-x-','effect':'Sometimes'},{'key':'c'}]}}");
        assertThat(rendered(strategy.validate(node))).containsExactly(
                "spec.taints[1]: Duplicate value: {\"key\":\"a\",\"effect\":\"NoSchedule\"}: taints must be "
                        + "unique by key and effect pair",
                "spec.taints[2].value: Invalid value: \"-x-\": a valid label must be an empty string or consist "
                        + "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                        + "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
                        + "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "spec.taints[2].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", "
                        + "\"PreferNoSchedule\", \"NoExecute\"",
                "spec.taints[3].effect: Required value");
    }

    @Test
    void podCidrAndProviderIdSetOnce() {
        ObjectNode old = json("{'metadata':{'name':'n1'},'spec':{'podCIDRs':['10.244.1.0/24'],"
                + "'providerID':'p1'},'status':{'phase':'Running'}}");
        ObjectNode update = json("{'metadata':{'name':'n1'},'spec':{'podCIDRs':['10.244.2.0/24'],"
                + "'providerID':'p2'},'status':{}}");
        strategy.prepareForUpdate(update, old);
        assertThat(update.path("status").toString()).isEqualTo("{\"phase\":\"Running\"}");
        assertThat(rendered(strategy.validateUpdate(update, old))).containsExactly(
                "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid",
                "spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid");

        ObjectNode fresh = json("{'metadata':{'name':'n1'},'spec':{}}");
        ObjectNode assign = json("{'metadata':{'name':'n1'},'spec':{'podCIDR':'10.244.3.0/24','providerID':'p'}}");
        strategy.prepareForUpdate(assign, fresh);
        assertThat(strategy.validateUpdate(assign, fresh)).isEmpty();
    }
}
