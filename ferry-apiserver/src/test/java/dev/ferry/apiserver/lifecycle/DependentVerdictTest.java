package dev.ferry.apiserver.lifecycle;

import static dev.ferry.apiserver.lifecycle.DependentVerdict.OwnerState.DANGLING;
import static dev.ferry.apiserver.lifecycle.DependentVerdict.OwnerState.SOLID;
import static dev.ferry.apiserver.lifecycle.DependentVerdict.OwnerState.WAITING_FOR_DEPENDENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.lifecycle.DependentVerdict.Action;
import dev.ferry.apiserver.lifecycle.DependentVerdict.Delete;
import dev.ferry.apiserver.lifecycle.DependentVerdict.Keep;
import dev.ferry.apiserver.lifecycle.DependentVerdict.OwnerState;
import dev.ferry.apiserver.lifecycle.DependentVerdict.RemoveReferences;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream attemptToDeleteItem's switch, case by case. */
class DependentVerdictTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no owners", owners(), List.of(), false, false, new Keep()),
                Arguments.of("every owner solid", owners("a", SOLID, "b", SOLID), List.of(), false, false, new Keep()),
                Arguments.of("one solid, one dangling: drop the dangling reference",
                        owners("a", SOLID, "b", DANGLING), List.of(), false, false,
                        new RemoveReferences(List.of("b"))),
                Arguments.of("solid plus dangling and waiting: drop both, dangling first",
                        owners("w", WAITING_FOR_DEPENDENTS, "a", SOLID, "d", DANGLING), List.of(), true, false,
                        new RemoveReferences(List.of("d", "w"))),
                Arguments.of("only owner dangling: background delete", owners("a", DANGLING), List.of(), false, false,
                        new Delete("Background", false)),
                Arguments.of("every owner dangling, even with dependents", owners("a", DANGLING, "b", DANGLING),
                        List.of(), true, false, new Delete("Background", false)),
                Arguments.of("dangling, the dependent's own orphan finalizer wins",
                        owners("a", DANGLING), List.of("orphan"), false, false, new Delete("Orphan", false)),
                Arguments.of("dangling, the dependent's own foreground finalizer wins",
                        owners("a", DANGLING), List.of("example.com/x", "foregroundDeletion"), false, false,
                        new Delete("Foreground", false)),
                Arguments.of("owner waits, dependent has dependents: foreground",
                        owners("a", WAITING_FOR_DEPENDENTS), List.of(), true, false, new Delete("Foreground", false)),
                Arguments.of("owner waits, a dependent of ours waits too: unblock, then foreground",
                        owners("a", WAITING_FOR_DEPENDENTS), List.of(), true, true, new Delete("Foreground", true)),
                Arguments.of("owner waits, no dependents: as the dependent's finalizers say",
                        owners("a", WAITING_FOR_DEPENDENTS, "b", DANGLING), List.of(), false, false,
                        new Delete("Background", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, Map<String, OwnerState> owners, List<String> finalizers, boolean hasDependents,
            boolean dependentDeleting, Action expected) {
        assertThat(DependentVerdict.decide(owners, finalizers, hasDependents, dependentDeleting)).isEqualTo(expected);
    }

    private static Map<String, OwnerState> owners(Object... uidsAndStates) {
        Map<String, OwnerState> m = new LinkedHashMap<>();
        for (int i = 0; i < uidsAndStates.length; i += 2) {
            m.put((String) uidsAndStates[i], (OwnerState) uidsAndStates[i + 1]);
        }
        return m;
    }
}
