package dev.ferry.store;

/**
 * Key bounds for prefix scans.
 *
 * <p>SQLite compares TEXT with memcmp over UTF-8, which orders strings by code point, so the smallest string above
 * every string starting with a prefix is the prefix with its last code point incremented.
 */
final class KeyRanges {
    private KeyRanges() {
    }

    /** The exclusive upper bound of keys starting with {@code prefix}, or null when there is none. */
    static String prefixEnd(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            int start = end - Character.charCount(last);
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return prefix.substring(0, start) + Character.toString(next);
            }
            end = start;
        }
        return null;
    }
}
