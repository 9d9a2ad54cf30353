package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class DeploymentStrategyTest {
    private final DeploymentStrategy deployments = new DeploymentStrategy();
    private final ReplicaSetStrategy replicaSets = new ReplicaSetStrategy();

    /** What `kubectl create deployment nginx2 --image=nginx:1.27` decodes to (see ProtobufDecoderTest). */
    private static ObjectNode kubectlCreate() {
        return json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'nginx2','namespace':'default',"
                + "'labels':{'app':'nginx2'}},'spec':{'replicas':3,'selector':{'matchLabels':{'app':'nginx2'}},"
                + "'template':{'metadata':{'labels':{'app':'nginx2'}},'spec':{'containers':[{'name':'nginx',"
                + "'image':'nginx:1.27','resources':{}}]}},'strategy':{}},'status':{}}");
    }

    @Test
    void defaultsAsUpstream() {
        ObjectNode d = kubectlCreate();
        deployments.prepareForCreate(d);

        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(d.at("/spec/strategy").toString()).isEqualTo(
                "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}");
        assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(d.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(d.at("/spec/template/spec").toString()).isEqualTo("{\"containers\":[{\"name\":\"nginx\","
                + "\"image\":\"nginx:1.27\",\"resources\":{},\"imagePullPolicy\":\"IfNotPresent\","
                + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}],"
                + "\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\",\"securityContext\":{},"
                + "\"terminationGracePeriodSeconds\":30,\"schedulerName\":\"default-scheduler\"}");
        assertThat(d.at("/spec/template/spec").has("enableServiceLinks")).as("Pod-only default").isFalse();
        assertThat(d.path("status").toString()).isEqualTo("{}");
        assertThat(deployments.tracksGeneration()).isTrue();
        assertThat(deployments.validate(d)).isEmpty();
    }

    @Test
    void replicasDefaultToOneButZeroStays() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.path("spec")).remove("replicas");
        deployments.prepareForCreate(d);
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);

        ObjectNode zero = kubectlCreate();
        ((ObjectNode) zero.path("spec")).put("replicas", 0);
        deployments.prepareForCreate(zero);
        assertThat(zero.at("/spec/replicas").asInt()).isZero();
    }

    @Test
    void recreateGetsNoRollingUpdate() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.at("/spec/strategy")).put("type", "Recreate");
        deployments.prepareForCreate(d);
        assertThat(d.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
        assertThat(deployments.validate(d)).isEmpty();
    }

    @Test
    void selectorMustMatchTemplateLabels() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.at("/spec/template/metadata/labels")).put("app", "other");
        deployments.prepareForCreate(d);
        assertThat(deployments.validate(d)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.template.metadata.labels");
            assertThat(e.type()).isEqualTo(FieldError.Type.INVALID);
            assertThat(e.toString()).isEqualTo("spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: "
                    + "`selector` does not match template `labels`");
        });
    }

    @Test
    void missingSelectorIsRequiredAndMatchesNothing() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.path("spec")).remove("selector");
        deployments.prepareForCreate(d);
        assertThat(rendered(deployments.validate(d))).containsExactly("spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: {\"app\":\"nginx2\"}: "
                        + "`selector` does not match template `labels`");
    }

    @Test
    void emptySelectorIsInvalid() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.path("spec")).putObject("selector");
        deployments.prepareForCreate(d);
        assertThat(rendered(deployments.validate(d)))
                .containsExactly("spec.selector: Invalid value: {}: empty selector is invalid for deployment");
    }

    @Test
    void matchExpressionsAreHonoured() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.path("spec")).set("selector", json("{'matchExpressions':[{'key':'app','operator':'In',"
                + "'values':['nginx2','x']},{'key':'tier','operator':'DoesNotExist'}]}"));
        deployments.prepareForCreate(d);
        assertThat(deployments.validate(d)).isEmpty();

        ((ObjectNode) d.path("spec")).set("selector", json("{'matchExpressions':[{'key':'app','operator':'In'},"
                + "{'key':'app','operator':'Near','values':['a']}]}"));
        assertThat(rendered(deployments.validate(d))).startsWith(
                "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is "
                        + "'In' or 'NotIn'",
                "spec.selector.matchExpressions[1].operator: Invalid value: \"Near\": not a valid selector operator");
    }

    @Test
    void negativeNumbersAndBadStrategy() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.path("spec")).put("replicas", -1).put("minReadySeconds", 700);
        ((ObjectNode) d.at("/spec/strategy")).put("type", "RollingUpdate").set("rollingUpdate",
                json("{'maxUnavailable':'150%','maxSurge':'x'}"));
        deployments.prepareForCreate(d);
        assertThat(rendered(deployments.validate(d))).containsExactly(
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x\": a valid percent string must be a numeric "
                        + "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                        + "'[0-9]+%')",
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%",
                "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds");
    }

    @Test
    void bothZeroIsInvalidAndUnknownTypeUnsupported() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.at("/spec/strategy")).set("rollingUpdate", json("{'maxUnavailable':0,'maxSurge':'0%'}"));
        deployments.prepareForCreate(d);
        assertThat(rendered(deployments.validate(d))).containsExactly(
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");

        ((ObjectNode) d.at("/spec/strategy")).put("type", "BlueGreen");
        assertThat(rendered(deployments.validate(d))).containsExactly("spec.strategy: Unsupported value: "
                + "\"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"");
    }

    @Test
    void templateMustRestartAlwaysAndPodSpecIsValidated() {
        ObjectNode d = kubectlCreate();
        ((ObjectNode) d.at("/spec/template/spec")).put("restartPolicy", "Never");
        ((ObjectNode) d.at("/spec/template/spec/containers/0")).remove("image");
        deployments.prepareForCreate(d);
        assertThat(rendered(deployments.validate(d))).containsExactly(
                "spec.template.spec.containers[0].image: Required value",
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    }

    @Test
    void selectorIsImmutableAndStatusKept() {
        ObjectNode old = kubectlCreate();
        deployments.prepareForCreate(old);
        old.putObject("status").put("replicas", 3).put("observedGeneration", 1);
        old = (ObjectNode) Json.MAPPER.readTree(old.toString());

        ObjectNode same = kubectlCreate();
        ((ObjectNode) same.path("spec")).put("replicas", 5);
        deployments.prepareForUpdate(same, old);
        assertThat(deployments.validateUpdate(same, old)).isEmpty();
        assertThat(same.path("status").toString()).isEqualTo("{\"replicas\":3,\"observedGeneration\":1}");

        ObjectNode changed = kubectlCreate();
        ((ObjectNode) changed.at("/spec/selector/matchLabels")).put("tier", "web");
        ((ObjectNode) changed.at("/spec/template/metadata/labels")).put("tier", "web");
        deployments.prepareForUpdate(changed, old);
        assertThat(deployments.validateUpdate(changed, old)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.selector");
            assertThat(e.type()).isEqualTo(FieldError.Type.INVALID);
            assertThat(e.message()).endsWith(": field is immutable");
        });
    }

    @Test
    void statusWritesKeepSpecAndLabels() {
        ObjectNode old = kubectlCreate();
        deployments.prepareForCreate(old);
        ObjectNode write = old.deepCopy();
        ((ObjectNode) write.path("spec")).put("replicas", 9);
        ((ObjectNode) write.at("/metadata/labels")).put("x", "y");
        write.putObject("status").put("replicas", 3).put("readyReplicas", 2).put("availableReplicas", 3);
        deployments.prepareForStatusUpdate(write, old);
        assertThat(write.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(write.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"nginx2\"}");
        assertThat(rendered(deployments.validateStatusUpdate(write, old))).containsExactly(
                "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas");
    }

    @Test
    void replicaSetDefaultsAndValidation() {
        ObjectNode rs = json("{'metadata':{'name':'web-abc','namespace':'default'},'spec':{'selector':{'matchLabels':"
                + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'c',"
                + "'image':'nginx'}]}}}}");
        replicaSets.prepareForCreate(rs);
        assertThat(rs.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(rs.has("strategy")).isFalse();
        assertThat(rs.at("/spec/template/spec/restartPolicy").asString()).isEqualTo("Always");
        assertThat(rs.path("status").toString()).isEqualTo("{\"replicas\":0}");
        assertThat(replicaSets.tracksGeneration()).isTrue();
        assertThat(replicaSets.validate(rs)).isEmpty();

        ((ObjectNode) rs.path("spec")).put("replicas", -2);
        ((ObjectNode) rs.at("/spec/template/metadata/labels")).put("app", "db");
        assertThat(rendered(replicaSets.validate(rs))).containsExactly(
                "spec.replicas: Invalid value: -2: must be greater than or equal to 0",
                "spec.template.metadata.labels: Invalid value: {\"app\":\"db\"}: "
                        + "`selector` does not match template `labels`");
    }
}
