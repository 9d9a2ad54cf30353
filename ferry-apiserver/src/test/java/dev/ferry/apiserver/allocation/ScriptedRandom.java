package dev.ferry.apiserver.allocation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** A RandomGenerator whose bounded ints come from a script (then a fixed fallback), clamped to the bound. */
final class ScriptedRandom implements RandomGenerator {
    private final Deque<Integer> script = new ArrayDeque<>();
    private final int fallback;
    final java.util.List<Integer> bounds = new java.util.ArrayList<>();

    ScriptedRandom(int fallback, int... values) {
        this.fallback = fallback;
        for (int v : values) {
            script.add(v);
        }
    }

    @Override
    public int nextInt(int bound) {
        bounds.add(bound);
        int v = script.isEmpty() ? fallback : script.poll();
        return Math.min(v, bound - 1);
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only bounded ints are scripted");
    }
}
