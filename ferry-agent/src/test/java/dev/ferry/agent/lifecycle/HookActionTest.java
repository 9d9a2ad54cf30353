package dev.ferry.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HookActionTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no handler", null, null),
                Arguments.of("exec", new LifecycleHandlerBuilder().withNewExec().withCommand("sh", "-c", "x")
                        .endExec().build(), new HookAction.Exec(List.of("sh", "-c", "x"))),
                Arguments.of("exec without a command runs nothing, and fails in the runtime",
                        new LifecycleHandlerBuilder().withNewExec().endExec().build(), new HookAction.Exec(List.of())),
                Arguments.of("httpGet", new LifecycleHandlerBuilder().withNewHttpGet().withPath("/quit")
                        .withPort(new IntOrString("http")).withHttpHeaders(new HTTPHeader("X-A", "1")).endHttpGet()
                        .build(), new HookAction.HttpGet(null, null, new IntOrString("http"), "/quit",
                        List.of(new HTTPHeader("X-A", "1")))),
                Arguments.of("sleep", new LifecycleHandlerBuilder().withNewSleep().withSeconds(15L).endSleep().build(),
                        new HookAction.Sleep(15)),
                Arguments.of("sleep 0 (allowed since 1.32)", new LifecycleHandlerBuilder().withNewSleep()
                        .withSeconds(0L).endSleep().build(), new HookAction.Sleep(0)),
                Arguments.of("exec wins over the others, as the kubelet's switch",
                        new LifecycleHandlerBuilder().withNewExec().withCommand("a").endExec().withNewSleep()
                                .withSeconds(1L).endSleep().build(), new HookAction.Exec(List.of("a"))),
                Arguments.of("tcpSocket is deprecated and fails at run time",
                        new LifecycleHandlerBuilder().withNewTcpSocket().withPort(new IntOrString(80)).endTcpSocket()
                                .build(),
                        new HookAction.Invalid("invalid handler: tcpSocket is not supported as a lifecycle handler")),
                Arguments.of("empty handler", new LifecycleHandler(), new HookAction.Invalid(
                        "invalid handler: no action set")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void selects(String name, LifecycleHandler handler, HookAction expected) {
        assertThat(HookAction.of(handler)).isEqualTo(expected);
    }
}
