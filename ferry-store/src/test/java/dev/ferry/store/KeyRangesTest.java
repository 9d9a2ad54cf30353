package dev.ferry.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRangesTest {

    @Test
    void prefixEndIncrementsLastCharacter() {
        assertThat(KeyRanges.prefixEnd("/registry/pods/")).isEqualTo("/registry/pods0");
        assertThat(KeyRanges.prefixEnd("a")).isEqualTo("b");
    }

    @Test
    void emptyPrefixHasNoEnd() {
        assertThat(KeyRanges.prefixEnd("")).isNull();
    }

    @Test
    void prefixEndSkipsSurrogateRange() {
        assertThat(KeyRanges.prefixEnd("x\uD7FF")).isEqualTo("x\uE000");
    }

    @Test
    void prefixEndIncrementsSupplementaryCodePoint() {
        assertThat(KeyRanges.prefixEnd("x\uD83D\uDE00")).isEqualTo("x" + Character.toString(0x1F601));
    }

    @Test
    void prefixEndCarriesOverMaximalCodePoint() {
        String max = Character.toString(Character.MAX_CODE_POINT);
        assertThat(KeyRanges.prefixEnd("a" + max)).isEqualTo("b");
        assertThat(KeyRanges.prefixEnd(max + max)).isNull();
    }
}
