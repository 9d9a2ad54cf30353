package dev.ferry.controllers.endpointutil;

/**
 * Ordering of resourceVersions. They are opaque to clients in general; Ferry's (and etcd-backed) ones are decimal
 * revisions, which this compares numerically. Versions that are not numbers only compare equal or not.
 */
public final class ResourceVersions {
    private ResourceVersions() {
    }

    /** {@code have} is {@code want} or newer. */
    public static boolean atLeast(String have, String want) {
        if (have == null || want == null) {
            return have == null && want == null;
        }
        try {
            return Long.parseLong(have) >= Long.parseLong(want);
        } catch (NumberFormatException e) {
            return have.equals(want);
        }
    }
}
