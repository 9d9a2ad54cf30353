package dev.ferry.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

final class LogRequestTest {
    private static final LogRequest PLAIN = new LogRequest("", false, false, false, null, null, null, null);

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    private static LogRequest parse(Map<String, String> q) {
        return LogRequest.parse(q::get);
    }

    @Test
    void parsesKubectlsParameters() {
        assertThat(parse(Map.of("container", "c", "follow", "true", "tailLines", "10", "previous", "false")))
                .isEqualTo(new LogRequest("c", true, false, false, null, null, 10L, null));
        assertThatThrownBy(() -> parse(Map.of("tailLines", "ten"))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> parse(Map.of("follow", "maybe"))).isInstanceOf(ApiException.class);
    }

    @Test
    void validatesAsPodLogOptions() {
        assertThat(new LogRequest("", false, false, false, 0L, null, -1L, 0L).validate().stream()
                .map(FieldError::toString)).containsExactly(
                        "tailLines: Invalid value: -1: must be greater than or equal to 0",
                        "limitBytes: Invalid value: 0: must be greater than 0",
                        "sinceSeconds: Invalid value: 0: must be greater than 0");
        assertThat(new LogRequest("", false, false, false, 5L, "2026-01-01T00:00:00Z", null, null).validate())
                .singleElement().hasToString("sinceSeconds: Forbidden: at most one of `sinceTime` or "
                        + "`sinceSeconds` may be specified");
        assertThat(PLAIN.validate()).isEmpty();
    }

    static Stream<Arguments> containerChoices() {
        String two = "{'metadata':{'name':'p'},'spec':{'initContainers':[{'name':'init'}],'containers':"
                + "[{'name':'a'},{'name':'b'}]}}";
        String annotated = "{'metadata':{'name':'p','annotations':{'kubectl.kubernetes.io/default-container':'b'}},"
                + "'spec':{'containers':[{'name':'a'},{'name':'b'}]}}";
        return Stream.of(
                Arguments.of("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'only'}]}}", "", "only"),
                Arguments.of(two, "b", "b"),
                Arguments.of(two, "init", "init"),
                Arguments.of(annotated, "", "b"),
                Arguments.of(annotated, "a", "a"),
                Arguments.of(two, "", "400 a container name must be specified for pod p, choose one of: [init a b]"),
                Arguments.of(two, "zz", "400 container zz is not valid for pod p"),
                Arguments.of("{'metadata':{'name':'p'},'spec':{}}", "",
                        "400 a container name must be specified for pod p"));
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @MethodSource("containerChoices")
    void choosesTheContainerAsUpstream(String pod, String requested, String expected) {
        LogRequest req = new LogRequest(requested, false, false, false, null, null, null, null);
        String got;
        try {
            got = req.chooseContainer(json(pod));
        } catch (ApiException e) {
            got = e.code() + " " + e.getMessage();
        }
        assertThat(got).isEqualTo(expected);
    }

    static Stream<Arguments> startStates() {
        String bound = "{'metadata':{'name':'p'},'spec':{'nodeName':'n1'},'status':{'containerStatuses':[%s]}}";
        return Stream.of(
                Arguments.of("{'metadata':{'name':'p'},'spec':{}}", false,
                        "container \"c\" in pod \"p\" is waiting to start: ContainerCreating"),
                Arguments.of(bound.formatted(""), false,
                        "container \"c\" in pod \"p\" is waiting to start: ContainerCreating"),
                Arguments.of(bound.formatted("{'name':'c','state':{'waiting':{'reason':'ErrImagePull'}}}"), false,
                        "container \"c\" in pod \"p\" is waiting to start: image can't be pulled"),
                Arguments.of(bound.formatted("{'name':'c','state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                        + "'lastState':{'terminated':{'exitCode':1}}}"), false, ""),
                Arguments.of(bound.formatted("{'name':'c','state':{'running':{}}}"), false, ""),
                Arguments.of(bound.formatted("{'name':'c','state':{'terminated':{'exitCode':0}}}"), false, ""),
                Arguments.of(bound.formatted(""), true, ""));
    }

    @ParameterizedTest(name = "{0} previous={1}")
    @MethodSource("startStates")
    void notStartedUsesThePodStatus(String pod, boolean previous, String expected) {
        LogRequest req = new LogRequest("c", false, previous, false, null, null, null, null);
        assertThat(req.notStarted(json(pod), "c")).isEqualTo(expected.isEmpty() ? Optional.empty()
                : Optional.of(expected));
    }

    @Test
    void locationIsTheNodesKubeletEndpoint() {
        ObjectNode node = json("{'metadata':{'name':'n1'},'status':{'addresses':[{'type':'Hostname','address':'h'},"
                + "{'type':'InternalIP','address':'127.0.0.5'}],'daemonEndpoints':{'kubeletEndpoint':{'Port':10250}}}}");
        LogRequest req = new LogRequest("c", true, true, true, 30L, null, 10L, 4096L);
        assertThat(req.location(node, "default", "web-1", "c").toString()).isEqualTo("http://127.0.0.5:10250"
                + "/containerLogs/default/web-1/c?follow=true&previous=true&timestamps=true&sinceSeconds=30"
                + "&tailLines=10&limitBytes=4096");
        assertThat(PLAIN.location(node, "default", "web-1", "c").toString())
                .isEqualTo("http://127.0.0.5:10250/containerLogs/default/web-1/c");
        for (String bad : List.of("{'metadata':{'name':'n1'},'status':{'daemonEndpoints':{'kubeletEndpoint':"
                + "{'Port':10250}}}}", "{'metadata':{'name':'n1'},'status':{'addresses':[{'type':'InternalIP',"
                + "'address':'127.0.0.5'}]}}")) {
            assertThatThrownBy(() -> PLAIN.location(json(bad), "default", "web-1", "c"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(500));
        }
    }
}
