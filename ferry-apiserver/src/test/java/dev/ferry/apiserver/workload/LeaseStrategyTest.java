package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class LeaseStrategyTest {
    private final LeaseStrategy strategy = new LeaseStrategy();

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("{}", List.of()),
                Arguments.of("{'holderIdentity':'anything goes here!','leaseDurationSeconds':40,"
                        + "'renewTime':'2026-01-01T00:00:00.000000Z','leaseTransitions':0}", List.of()),
                Arguments.of("{'leaseDurationSeconds':0}",
                        List.of("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")),
                Arguments.of("{'leaseDurationSeconds':-5,'leaseTransitions':-1}",
                        List.of("spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0",
                                "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0")),
                Arguments.of("{'strategy':'OldestEmulationVersion','preferredHolder':'a'}", List.of()),
                Arguments.of("{'strategy':'example.com/mine'}", List.of()),
                Arguments.of("{'strategy':'Newest'}", List.of("spec.strategy: Unsupported value: \"Newest\": "
                        + "supported values: \"OldestEmulationVersion\"")),
                Arguments.of("{'preferredHolder':'a'}", List.of("spec.preferredHolder: Forbidden: may only be "
                        + "specified if `strategy` is defined")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void validateSpec(String spec, List<String> errors) {
        String obj = "{'metadata':{'name':'n','namespace':'kube-node-lease'},'spec':" + spec + "}";
        assertThat(rendered(strategy.validate(json(obj)))).containsExactlyElementsOf(errors);
        assertThat(rendered(strategy.validateUpdate(json(obj), json(obj)))).containsExactlyElementsOf(errors);
    }
}
