package dev.ferry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Base64;

/**
 * Maps store keys into etcd's key space under a fixed root, and back.
 *
 * <p>Every store key {@code k} lives at etcd key {@code root + k} (UTF-8 bytes). The root is opaque: give it a trailing
 * separator (e.g. {@code "/ferry/a"} vs {@code "/ferry/ab"} overlap, {@code "/ferry/a/"} does not) when several stores
 * share one etcd. Keys travel base64-encoded, as the JSON gateway wants them.
 */
final class KeySpace {

    /** etcd's "from this key to the end of the key space" marker for range_end. */
    private static final byte[] END_OF_KEYSPACE = {0};

    private final byte[] root;

    KeySpace(String root) {
        this.root = root.getBytes(UTF_8);
    }

    /** The base64 etcd key of store key {@code key}. */
    String key(String key) {
        byte[] full = full(key);
        // an empty etcd key is invalid; "\0" is the smallest key there is
        return base64(full.length == 0 ? END_OF_KEYSPACE : full);
    }

    /**
     * The base64 first key of a range over {@code prefix} that starts at {@code startKey}: the later of the two in
     * etcd's (unsigned byte) order, so a missing or too small start key means the start of the prefix.
     */
    String rangeStart(String prefix, String startKey) {
        if (startKey == null || startKey.isEmpty()) {
            return key(prefix);
        }
        byte[] p = prefix.getBytes(UTF_8);
        byte[] s = startKey.getBytes(UTF_8);
        return key(Arrays.compareUnsigned(s, p) < 0 ? prefix : startKey);
    }

    /** The base64 range_end that, with {@link #key(String) key(prefix)}, covers exactly the keys starting with prefix. */
    String rangeEnd(String prefix) {
        return base64(prefixEnd(full(prefix)));
    }

    /** The store key of a base64 etcd key that lies under the root. */
    String storeKey(String base64Key) {
        byte[] full = Base64.getDecoder().decode(base64Key);
        if (full.length < root.length || !Arrays.equals(full, 0, root.length, root, 0, root.length)) {
            throw new IllegalStateException("etcd returned a key outside root " + new String(root, UTF_8));
        }
        return new String(full, root.length, full.length - root.length, UTF_8);
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix} (etcd's "prefix end"): the
     * prefix with trailing 0xff bytes dropped and its last byte incremented; {@code "\0"} (end of key space) when
     * there is no such string.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return END_OF_KEYSPACE.clone();
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private byte[] full(String key) {
        byte[] k = key.getBytes(UTF_8);
        byte[] full = Arrays.copyOf(root, root.length + k.length);
        System.arraycopy(k, 0, full, root.length, k.length);
        return full;
    }
}
