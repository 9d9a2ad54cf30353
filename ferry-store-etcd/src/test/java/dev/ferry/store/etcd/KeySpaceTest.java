package dev.ferry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeySpaceTest {

    @Test
    void prefixEndIncrementsLastByte() {
        assertThat(KeySpace.prefixEnd(b("/a/"))).isEqualTo(b("/a0"));
        assertThat(KeySpace.prefixEnd(b("abc"))).isEqualTo(b("abd"));
    }

    @Test
    void prefixEndDropsTrailingFfBytes() {
        assertThat(KeySpace.prefixEnd(new byte[] {'a', (byte) 0xff, (byte) 0xff})).isEqualTo(new byte[] {'b'});
    }

    @Test
    void prefixEndOfNothingOrAllFfIsEndOfKeySpace() {
        assertThat(KeySpace.prefixEnd(new byte[0])).isEqualTo(new byte[] {0});
        assertThat(KeySpace.prefixEnd(new byte[] {(byte) 0xff})).isEqualTo(new byte[] {0});
    }

    @Test
    void keysLiveUnderTheRoot() {
        KeySpace keys = new KeySpace("/root/");
        assertThat(decode(keys.key("/a/k"))).isEqualTo("/root//a/k");
        assertThat(decode(keys.rangeEnd("/a/"))).isEqualTo("/root//a0");
        assertThat(decode(keys.rangeEnd(""))).isEqualTo("/root0");
        assertThat(keys.storeKey(KeySpace.base64(b("/root//a/k")))).isEqualTo("/a/k");
    }

    @Test
    void rangeStartIsTheLaterOfPrefixAndStartKeyInByteOrder() {
        KeySpace keys = new KeySpace("/r");
        assertThat(decode(keys.rangeStart("/a/", null))).isEqualTo("/r/a/");
        assertThat(decode(keys.rangeStart("/a/", ""))).isEqualTo("/r/a/");
        assertThat(decode(keys.rangeStart("/a/", "/"))).isEqualTo("/r/a/");
        assertThat(decode(keys.rangeStart("/a/", "/a/b"))).isEqualTo("/r/a/b");
        // U+1F600 sorts before U+FF61 in UTF-16 (String.compareTo) but after it in UTF-8 bytes, as in etcd
        assertThat(decode(keys.rangeStart("/a/\uFF61", "/a/\uD83D\uDE00"))).isEqualTo("/r/a/\uD83D\uDE00");
    }

    @Test
    void emptyRootAndEmptyKeyIsTheSmallestKey() {
        KeySpace keys = new KeySpace("");
        assertThat(Base64.getDecoder().decode(keys.key(""))).isEqualTo(new byte[] {0});
        assertThat(Base64.getDecoder().decode(keys.rangeEnd(""))).isEqualTo(new byte[] {0});
    }

    @Test
    void nonAsciiKeysRoundTripAsUtf8() {
        KeySpace keys = new KeySpace("/r/");
        assertThat(keys.storeKey(keys.key("/ä/😀"))).isEqualTo("/ä/😀");
    }

    @Test
    void keyOutsideTheRootIsRejected() {
        KeySpace keys = new KeySpace("/root/");
        assertThatThrownBy(() -> keys.storeKey(KeySpace.base64(b("/other/k"))))
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), UTF_8);
    }
}
