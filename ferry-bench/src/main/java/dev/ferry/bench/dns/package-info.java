/** The cluster DNS benchmark (run-dns-bench.sh): Ferry's side of it, and the side-by-side report. */
package dev.ferry.bench.dns;
