/**
 * Benchmarks. {@link dev.ferry.bench.ApiLoad} is a load harness that drives a real {@code ferry up} process over
 * HTTP on loopback (see ferry-bench/README.md); {@code dev.ferry.bench.jmh} holds JMH micro-benchmarks.
 */
package dev.ferry.bench;
