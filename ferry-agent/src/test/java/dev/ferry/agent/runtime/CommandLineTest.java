package dev.ferry.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {
    /** Expected words are separated by '|' in the second column. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', commentCharacter = ';', textBlock = """
            /usr/bin/redis-server --port 6379          # /usr/bin/redis-server|--port|6379
            `  spaced    out  `                        # spaced|out
            sh -c 'echo "$HOME" && exit 1'             # sh|-c|echo "$HOME" && exit 1
            nginx -g "daemon off:"                     # nginx|-g|daemon off:
            a "b \\" c" d                              # a|b " c|d
            a "x\\ny"                                  # a|x\\ny
            a\\ b c                                    # a b|c
            pre'quoted'post "mid"dle                   # prequotedpost|middle
            empty '' ""                                # empty||
            """)
    void splitsLikeAShell(String line, String expected) {
        assertThat(CommandLine.split(line)).isEqualTo(Arrays.asList(expected.split("\\|", -1)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', quoteCharacter = '`', commentCharacter = ';', textBlock = """
            a 'b               # unterminated single quote
            a "b               # unterminated double quote
            a\\                # trailing backslash
            """)
    void rejectsBrokenQuoting(String line, String message) {
        assertThatThrownBy(() -> CommandLine.split(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void blankLineIsNoWords() {
        assertThat(CommandLine.split("   ")).isEqualTo(List.of());
    }
}
