package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.resource.Strategy;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a status write keeps from the stored object, per kind, as upstream's status strategies (PrepareForUpdate and
 * GetResetFields): spec always; Deployment also metadata.labels, Pod also metadata.ownerReferences; everything else in
 * metadata as sent.
 */
class StatusStrategiesTest {
    private static final String OLD_META = "'metadata':{'name':'x','labels':{'a':'1'},'annotations':{'n':'1'},"
            + "'finalizers':['example.com/f'],'ownerReferences':[{'apiVersion':'v1','kind':'Service','name':'o',"
            + "'uid':'u1'}]}";
    private static final String NEW_META = "'metadata':{'name':'x','labels':{'a':'2'},'annotations':{'n':'2'},"
            + "'ownerReferences':[{'apiVersion':'v1','kind':'Service','name':'p','uid':'u2'}]}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("Deployment: spec and labels reset", new DeploymentStrategy(),
                        "{" + OLD_META + ",'spec':{'replicas':1},'status':{'replicas':0}}",
                        "{" + NEW_META + ",'spec':{'replicas':5},'status':{'replicas':1}}",
                        "{'metadata':{'name':'x','labels':{'a':'1'},'annotations':{'n':'2'},'ownerReferences':"
                                + "[{'apiVersion':'v1','kind':'Service','name':'p','uid':'u2'}]},"
                                + "'spec':{'replicas':1},'status':{'replicas':1}}"),
                Arguments.of("ReplicaSet: spec reset, labels written", new ReplicaSetStrategy(),
                        "{" + OLD_META + ",'spec':{'replicas':1},'status':{'replicas':0}}",
                        "{" + NEW_META + ",'spec':{'replicas':5},'status':{'replicas':1}}",
                        "{" + NEW_META + ",'spec':{'replicas':1},'status':{'replicas':1}}"),
                Arguments.of("Pod: spec and ownerReferences reset, qosClass backfilled", new PodStrategy(),
                        "{" + OLD_META + ",'spec':{'nodeName':'n1'},"
                                + "'status':{'phase':'Pending','qosClass':'BestEffort'}}",
                        "{" + NEW_META + ",'spec':{'nodeName':'n2'},'status':{'phase':'Running'}}",
                        "{'metadata':{'name':'x','labels':{'a':'2'},'annotations':{'n':'2'},'ownerReferences':"
                                + "[{'apiVersion':'v1','kind':'Service','name':'o','uid':'u1'}]},"
                                + "'spec':{'nodeName':'n1'},'status':{'phase':'Running','qosClass':'BestEffort'}}"),
                Arguments.of("Pod: a sent qosClass stays", new PodStrategy(),
                        "{'metadata':{'name':'x'},'spec':{},'status':{'qosClass':'BestEffort'}}",
                        "{'metadata':{'name':'x'},'spec':{},'status':{'qosClass':'Burstable'}}",
                        "{'metadata':{'name':'x'},'spec':{},'status':{'qosClass':'Burstable'}}"),
                Arguments.of("Node: spec reset, metadata written, new status.config dropped", new NodeStrategy(),
                        "{" + OLD_META + ",'spec':{'unschedulable':true},'status':{}}",
                        "{" + NEW_META + ",'spec':{},'status':{'config':{'active':{}},'phase':'Running'}}",
                        "{" + NEW_META + ",'spec':{'unschedulable':true},'status':{'phase':'Running'}}"),
                Arguments.of("Namespace: spec reset, labels written but the name label", new NamespaceStrategy(),
                        "{" + OLD_META + ",'spec':{'finalizers':['kubernetes']},'status':{'phase':'Active'}}",
                        "{" + NEW_META + ",'spec':{},'status':{'phase':'Active'}}",
                        "{'metadata':{'name':'x','labels':{'a':'2','kubernetes.io/metadata.name':'x'},"
                                + "'annotations':{'n':'2'},'ownerReferences':[{'apiVersion':'v1','kind':'Service',"
                                + "'name':'p','uid':'u2'}]},"
                                + "'spec':{'finalizers':['kubernetes']},'status':{'phase':'Active'}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statusWrites(String name, Strategy strategy, String old, String sent, String expected) {
        ObjectNode obj = json(sent);
        strategy.prepareForStatusUpdate(obj, json(old));
        assertThat(obj).isEqualTo(json(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generations")
    void deploymentGeneration(String name, String old, String updated, boolean bumps) {
        assertThat(new DeploymentStrategy().bumpsGeneration(json(updated), json(old))).isEqualTo(bumps);
    }

    static Stream<Arguments> generations() {
        return Stream.of(
                Arguments.of("no change", "{'metadata':{},'spec':{'replicas':1}}",
                        "{'metadata':{},'spec':{'replicas':1}}", false),
                Arguments.of("labels only", "{'metadata':{'labels':{'a':'1'}},'spec':{}}",
                        "{'metadata':{'labels':{'a':'2'}},'spec':{}}", false),
                Arguments.of("spec", "{'metadata':{},'spec':{'replicas':1}}",
                        "{'metadata':{},'spec':{'replicas':2}}", true),
                Arguments.of("annotation added", "{'metadata':{},'spec':{}}",
                        "{'metadata':{'annotations':{'k':'v'}},'spec':{}}", true),
                Arguments.of("empty annotations equal absent ones", "{'metadata':{},'spec':{}}",
                        "{'metadata':{'annotations':{}},'spec':{}}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replicaSetGenerations")
    void replicaSetGenerationFollowsSpecOnly(String name, String old, String updated, boolean bumps) {
        assertThat(new ReplicaSetStrategy().bumpsGeneration(json(updated), json(old))).isEqualTo(bumps);
    }

    static Stream<Arguments> replicaSetGenerations() {
        return Stream.of(
                Arguments.of("annotation added", "{'metadata':{},'spec':{}}",
                        "{'metadata':{'annotations':{'k':'v'}},'spec':{}}", false),
                Arguments.of("spec", "{'metadata':{},'spec':{'replicas':1}}",
                        "{'metadata':{},'spec':{'replicas':2}}", true));
    }
}
