package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class PodStrategyTest {
    private final PodStrategy strategy = new PodStrategy();

    private static ObjectNode kubectlRunPod() {
        // the body `kubectl run nginx --image=nginx` sends
        return json("{'kind':'Pod','apiVersion':'v1','metadata':{'name':'nginx','namespace':'default',"
                + "'creationTimestamp':null,'labels':{'run':'nginx'}},'spec':{'containers':[{'name':'nginx',"
                + "'image':'nginx','resources':{}}],'restartPolicy':'Always','dnsPolicy':'ClusterFirst'},"
                + "'status':{}}");
    }

    @Test
    void createFillsUpstreamDefaultsAndStatus() {
        ObjectNode pod = kubectlRunPod();
        strategy.prepareForCreate(pod);

        assertThat(pod.path("spec").toString()).isEqualTo("{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\","
                + "\"resources\":{},\"imagePullPolicy\":\"Always\",\"terminationMessagePath\":\"/dev/termination-log\","
                + "\"terminationMessagePolicy\":\"File\"}],\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\","
                + "\"securityContext\":{},\"terminationGracePeriodSeconds\":30,\"schedulerName\":\"default-scheduler\","
                + "\"enableServiceLinks\":true}");
        assertThat(pod.path("status").toString()).isEqualTo("{\"phase\":\"Pending\",\"qosClass\":\"BestEffort\"}");
        assertThat(strategy.validate(pod)).isEmpty();
    }

    @Test
    void imagePullPolicyDependsOnTag() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'nginx:1.27'},{'name':'b',"
                + "'image':'nginx:latest'},{'name':'c','image':'localhost:5000/app'},{'name':'d',"
                + "'image':'app@sha256:abc'},{'name':'e','image':'x','imagePullPolicy':'Never'}]}}");
        strategy.prepareForCreate(pod);
        assertThat(pod.at("/spec/containers").findValuesAsString("imagePullPolicy"))
                .containsExactly("IfNotPresent", "Always", "Always", "IfNotPresent", "Never");
    }

    @Test
    void portsGetTcpAndPodGetsRequestsFromLimitsAndQos() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'i','ports':[{'containerPort':80}],"
                + "'resources':{'limits':{'cpu':'500m','memory':'64Mi'}}}]}}");
        strategy.prepareForCreate(pod);
        assertThat(pod.at("/spec/containers/0/ports/0/protocol").asString()).isEqualTo("TCP");
        assertThat(pod.at("/spec/containers/0/resources/requests").toString())
                .isEqualTo("{\"cpu\":\"500m\",\"memory\":\"64Mi\"}");
        assertThat(pod.at("/status/qosClass").asString()).isEqualTo("Guaranteed");

        ObjectNode burstable = json("{'spec':{'containers':[{'name':'a','image':'i',"
                + "'resources':{'requests':{'cpu':'0.5'},'limits':{'cpu':'1'}}}]}}");
        strategy.prepareForCreate(burstable);
        assertThat(burstable.at("/status/qosClass").asString()).isEqualTo("Burstable");
    }

    @Test
    void explicitValuesAreNotOverwritten() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'i'}],'restartPolicy':'Never',"
                + "'terminationGracePeriodSeconds':0,'enableServiceLinks':false,'dnsPolicy':'Default'}}");
        strategy.prepareForCreate(pod);
        assertThat(pod.at("/spec/restartPolicy").asString()).isEqualTo("Never");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isZero();
        assertThat(pod.at("/spec/enableServiceLinks").asBoolean()).isFalse();
        assertThat(pod.at("/spec/dnsPolicy").asString()).isEqualTo("Default");
    }

    @Test
    void containersAreRequired() {
        ObjectNode pod = json("{'spec':{}}");
        strategy.prepareForCreate(pod);
        assertThat(strategy.validate(pod)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.containers");
            assertThat(e.type()).isEqualTo(FieldError.Type.REQUIRED);
            assertThat(e.toString()).isEqualTo("spec.containers: Required value");
        });
    }

    @Test
    void containerNamesImagesAndDuplicates() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'Web','image':'i'},{'name':'ok'},{'name':'ok',"
                + "'image':'i'},{'image':'i'}],'initContainers':[{'name':'ok','image':'i'}]}}");
        strategy.prepareForCreate(pod);
        assertThat(rendered(strategy.validate(pod))).containsExactly(
                "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower "
                        + "case alphanumeric characters or '-', and must start and end with an alphanumeric character "
                        + "(e.g. 'my-name',  or '123-abc', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.containers[1].image: Required value",
                "spec.containers[2].name: Duplicate value: \"ok\"",
                "spec.containers[3].name: Required value",
                "spec.initContainers[0].name: Duplicate value: \"ok\"");
    }

    @Test
    void portValidation() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'i','ports':["
                + "{'name':'http','containerPort':80},{'name':'http','containerPort':81},"
                + "{'name':'Bad_Name','containerPort':70000,'protocol':'ICMP'},{'hostPort':99999,'containerPort':1}]}]}}");
        strategy.prepareForCreate(pod);
        List<FieldError> errs = strategy.validate(pod);
        assertThat(rendered(errs)).containsExactly(
                "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
                "spec.containers[0].ports[2].name: Invalid value: \"Bad_Name\": must contain only alpha-numeric "
                        + "characters (a-z, 0-9), and hyphens (-)",
                "spec.containers[0].ports[2].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", "
                        + "\"UDP\"",
                "spec.containers[0].ports[3].hostPort: Invalid value: 99999: must be between 1 and 65535, inclusive");
        assertThat(errs.get(3).type()).isEqualTo(FieldError.Type.NOT_SUPPORTED);
    }

    @Test
    void zeroContainerPortIsRequired() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'i','ports':[{'containerPort':0}]}]}}");
        strategy.prepareForCreate(pod);
        assertThat(rendered(strategy.validate(pod))).containsExactly("spec.containers[0].ports[0].containerPort: "
                + "Required value");
    }

    @Test
    void policiesAndEnvNames() {
        ObjectNode pod = json("{'spec':{'restartPolicy':'Sometimes','dnsPolicy':'Bogus','containers':[{'name':'a',"
                + "'image':'i','imagePullPolicy':'Maybe','env':[{'name':'GOOD'},{'name':'A=B'},{'value':'x'}]}]}}");
        strategy.prepareForCreate(pod);
        assertThat(rendered(strategy.validate(pod))).containsExactly(
                "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must "
                        + "consist only of printable ASCII characters other than '='",
                "spec.containers[0].env[2].name: Required value",
                "spec.containers[0].env[2].name: Invalid value: \"\": environment variable name must be non-empty",
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Maybe\": supported values: \"Always\", "
                        + "\"IfNotPresent\", \"Never\"",
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
                        + "\"Never\"",
                "spec.dnsPolicy: Unsupported value: \"Bogus\": supported values: \"ClusterFirstWithHostNet\", "
                        + "\"ClusterFirst\", \"Default\", \"None\"");
    }

    @Test
    void ephemeralContainersForbiddenOnCreate() {
        ObjectNode pod = json("{'spec':{'containers':[{'name':'a','image':'i'}],'ephemeralContainers':[{'name':'d'}]}}");
        strategy.prepareForCreate(pod);
        assertThat(rendered(strategy.validate(pod)))
                .containsExactly("spec.ephemeralContainers: Forbidden: cannot be set on create");
    }

    private ObjectNode stored() {
        ObjectNode pod = kubectlRunPod();
        strategy.prepareForCreate(pod);
        pod.putObject("status").put("phase", "Running").put("podIP", "10.0.0.5");
        // as the store gives it back: re-read, so numbers are whatever the mapper makes of them
        return (ObjectNode) Json.MAPPER.readTree(pod.toString());
    }

    @Test
    void imageChangeIsAllowedAndStatusKept() {
        ObjectNode old = stored();
        // what `kubectl set image` or a patch produces: the stored pod with one image changed
        ObjectNode update = stored();
        ((ObjectNode) update.at("/spec/containers/0")).put("image", "nginx:1.27");
        update.putObject("status").put("phase", "Failed");
        strategy.prepareForUpdate(update, old);

        assertThat(strategy.validateUpdate(update, old)).isEmpty();
        assertThat(update.path("status").toString()).isEqualTo("{\"phase\":\"Running\",\"podIP\":\"10.0.0.5\"}");
        assertThat(update.at("/spec/containers/0/imagePullPolicy").asString()).isEqualTo("Always");
    }

    @Test
    void resendingTheDefaultedSpecIsNoChange() {
        ObjectNode old = stored();
        ObjectNode update = kubectlRunPod();
        strategy.prepareForUpdate(update, old);
        assertThat(strategy.validateUpdate(update, old)).isEmpty();
    }

    @Test
    void otherSpecChangesAreForbidden() {
        ObjectNode old = stored();
        ObjectNode update = kubectlRunPod();
        ((ObjectNode) update.path("spec")).put("nodeName", "node-b");
        strategy.prepareForUpdate(update, old);

        assertThat(strategy.validateUpdate(update, old)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec");
            assertThat(e.type()).isEqualTo(FieldError.Type.FORBIDDEN);
            assertThat(e.toString()).isEqualTo("spec: Forbidden: pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),"
                    + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        });
    }

    @Test
    void addingAContainerIsForbidden() {
        ObjectNode old = stored();
        ObjectNode update = kubectlRunPod();
        update.withArray("/spec/containers").addObject().put("name", "side").put("image", "busybox");
        strategy.prepareForUpdate(update, old);
        assertThat(rendered(strategy.validateUpdate(update, old)))
                .containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
    }

    @Test
    void activeDeadlineMayOnlyDecrease() {
        ObjectNode old = stored();
        ((ObjectNode) old.path("spec")).put("activeDeadlineSeconds", 100);
        ObjectNode lower = kubectlRunPod();
        ((ObjectNode) lower.path("spec")).put("activeDeadlineSeconds", 50);
        strategy.prepareForUpdate(lower, old);
        assertThat(strategy.validateUpdate(lower, old)).isEmpty();

        ObjectNode higher = kubectlRunPod();
        ((ObjectNode) higher.path("spec")).put("activeDeadlineSeconds", 200);
        strategy.prepareForUpdate(higher, old);
        assertThat(rendered(strategy.validateUpdate(higher, old))).containsExactly(
                "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value");
    }

    @Test
    void statusWritesKeepSpec() {
        ObjectNode old = stored();
        ObjectNode write = stored();
        ((ObjectNode) write.path("spec")).put("nodeName", "sneaky");
        ((ObjectNode) write.path("status")).put("phase", "Succeeded");
        strategy.prepareForStatusUpdate(write, old);
        assertThat(write.at("/spec/nodeName").isMissingNode()).isTrue();
        assertThat(write.at("/status/phase").asString()).isEqualTo("Succeeded");
    }
}
