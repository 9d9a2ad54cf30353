/** JMH micro-benchmarks of hot pure code in the API server; run with {@code ferry-bench/run-jmh.sh}. */
package dev.ferry.bench.jmh;
