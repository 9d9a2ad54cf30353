package dev.ferry.agent.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from upstream {@code third_party/forked/golang/expansion/expand_test.go}. */
class ExpansionTest {
    private static final Map<String, String> VARS = new HashMap<>(Map.of(
            "VAR_A", "A", "VAR_B", "B", "VAR_C", "C", "VAR_REF", "$(VAR_A)", "VAR_EMPTY", ""));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            $(VAR_A)                     | A
            ___$(VAR_B)___               | ___B___
            $(VAR_A)-$(VAR_A)            | A-A
            $(VAR_A)-1                   | A-1
            $(VAR_A)_$(VAR_B)_$(VAR_C)   | A_B_C
            $(VAR_A)$(VAR_B)$(VAR_C)     | ABC
            foo\\$(VAR_C)bar             | foo\\Cbar
            f000-$$VAR_A                 | f000-$VAR_A
            $$(VAR_B)                    | $(VAR_B)
            $$$(VAR_A)                   | $A
            $$$$$$$(VAR_A)               | $$$A
            $$$$$$(VAR_A)                | $$$(VAR_A)
            $(VAR_REF)                   | $(VAR_A)
            '$(VAR_EMPTY)'               | ''
            x$(VAR_EMPTY)y               | xy
            $(UNKNOWN)                   | $(UNKNOWN)
            $(VAR_A                      | $(VAR_A
            $(                           | $(
            $$                           | $
            $                            | $
            $VAR_A                       | $VAR_A
            $()                          | $()
            $(()                         | $(()
            $(VAR_A)$                    | A$
            $(VAR_A)$$                   | A$
            $()$(VAR_A)                  | $()A
            no reference                 | no reference
            """)
    void expandsLikeUpstream(String input, String expected) {
        assertThat(Expansion.expand(input, VARS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            $(X)     | first
            $(Y)     | second
            $(Z)     | $(Z)
            """)
    void earlierContextWins(String input, String expected) {
        assertThat(Expansion.expand(input, Map.of("X", "first"), Map.of("X", "other", "Y", "second")))
                .isEqualTo(expected);
    }
}
