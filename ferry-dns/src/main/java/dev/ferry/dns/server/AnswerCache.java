package dev.ferry.dns.server;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Authoritative responses as wire bytes, keyed by (lower-cased qname, qtype, qclass, EDNS present, DO bit, response
 * size limit), each valid only while the authority's generation is the one it was answered at. A hit copies the bytes
 * and patches in the query's ID, RD and CD bits and question name (so the case the client wrote is echoed).
 * At most {@code maxEntries}: when full it is emptied (entries of an older generation are dead anyway, and a flood of
 * distinct names would only churn an LRU). Thread-safe.
 */
final class AnswerCache {
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxEntries;

    AnswerCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The cache key of {@code q} answered within {@code limit} bytes, or null when caching is off. */
    Key key(byte[] q, QueryView v, int limit) {
        if (maxEntries == 0) {
            return null;
        }
        int nameLen = v.nameEnd() - QueryView.HEADER;
        byte[] k = new byte[nameLen + 7];
        for (int i = 0; i < nameLen; i++) {
            byte c = q[QueryView.HEADER + i];
            k[i] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
        int p = nameLen;
        k[p++] = (byte) (v.qtype() >> 8);
        k[p++] = (byte) v.qtype();
        k[p++] = (byte) (v.qclass() >> 8);
        k[p++] = (byte) v.qclass();
        k[p++] = (byte) ((v.edns() ? 1 : 0) | (v.dnssecOk() ? 2 : 0));
        k[p++] = (byte) (limit >> 8);
        k[p] = (byte) limit;
        return new Key(k);
    }

    /** The response to {@code q} if cached at {@code generation}, patched for {@code q}; else null. */
    byte[] get(Key key, byte[] q, QueryView v, long generation) {
        Entry e = entries.get(key);
        if (e == null || e.generation != generation) {
            return null;
        }
        byte[] r = e.wire.clone();
        r[0] = q[0];
        r[1] = q[1];
        r[2] = (byte) ((r[2] & ~0x01) | (q[2] & 0x01));
        r[3] = (byte) ((r[3] & ~0x10) | (q[3] & 0x10));
        System.arraycopy(q, QueryView.HEADER, r, QueryView.HEADER, v.nameEnd() - QueryView.HEADER);
        return r;
    }

    /** Caches {@code wire}, a response whose question is the query's, answered at {@code generation}. */
    void put(Key key, byte[] wire, long generation) {
        if (entries.put(key, new Entry(generation, wire)) == null && size.incrementAndGet() > maxEntries) {
            entries.clear();
            size.set(0);
        }
    }

    int size() {
        return entries.size();
    }

    record Entry(long generation, byte[] wire) {
    }

    static final class Key {
        private final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
