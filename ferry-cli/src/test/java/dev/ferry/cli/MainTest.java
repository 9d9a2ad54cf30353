package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code ferry} command line: exit status, and what goes to standard output and standard error. */
class MainTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutACommandItListsTheVisibleCommands() {
        for (Result r : List.of(run(), run("--help"), run("-h"))) {
            assertThat(r.status).isZero();
            assertThat(r.err).isEmpty();
            assertThat(r.out).startsWith("Usage: ferry COMMAND [FLAGS]\n")
                    .contains("\n  up\n", "\n  server\n", "\n  agent\n", "\n  version\n").doesNotContain("warmup");
        }
    }

    @Test
    void versionFlagsPrintTheVersion() {
        assertThat(run("--version")).isEqualTo(new Result(0, "ferry " + Main.VERSION + "\n", ""));
        assertThat(run("up", "-V")).isEqualTo(new Result(0, "ferry " + Main.VERSION + "\n", ""));
    }

    @Test
    void everyCommandsHelpNamesItsFlags() {
        Result up = run("up", "--help");
        assertThat(up.status).isZero();
        assertThat(up.out).startsWith("Usage: ferry up [FLAGS]\n").contains("  --data-dir DIR\n",
                "  --api-port N\n", "  --store sqlite|etcd|memory\n", "  --[no-]dns\n", "  --[no-]proxy\n",
                "  --leave-pods-running\n", "  --lb-pool CIDR\n", "  --cluster-domain DOMAIN\n", "(default: 6443)");
        Result agent = run("agent", "-h");
        assertThat(agent.status).isZero();
        assertThat(agent.out).contains("  --server URL (required)\n", "  --node-name NAME\n")
                .doesNotContain("--api-port");
        Result server = run("server", "--help");
        assertThat(server.out).contains("  --api-port N\n").doesNotContain("--node-name");
    }

    @Test
    void aBadCommandLineIsOneLineOnStandardErrorAndStatusTwo() {
        assertThat(run("nope")).isEqualTo(new Result(2, "", "ferry: unknown command 'nope' (see 'ferry --help')\n"));
        assertThat(run("up", "--bogus")).isEqualTo(new Result(2, "",
                "ferry: unknown flag --bogus (see 'ferry up --help')\n"));
        assertThat(run("up", "--api-port", "http")).isEqualTo(new Result(2, "",
                "ferry: --api-port must be a whole number from 0 to 65535, got 'http' (see 'ferry up --help')\n"));
        assertThat(run("up", "--api-port", "99999").err).isEqualTo(
                "ferry: --api-port must be a whole number from 0 to 65535, got '99999' (see 'ferry up --help')\n");
        assertThat(run("agent", "--server", "http://x", "--proxy-endpoint-attempts", "0").err).isEqualTo(
                "ferry: --proxy-endpoint-attempts must be a whole number of at least 1, got '0' "
                        + "(see 'ferry agent --help')\n");
        assertThat(run("server", "--store", "mysql")).isEqualTo(new Result(2, "",
                "ferry: --store must be one of sqlite, etcd, memory, got mysql (see 'ferry server --help')\n"));
        assertThat(run("agent")).isEqualTo(new Result(2, "",
                "ferry: missing --server URL (see 'ferry agent --help')\n"));
    }

    @Test
    void aFailingCommandIsOneLineAndStatusOne() {
        String unused = System.getProperty("java.io.tmpdir") + "/ferry-main-test-unused";
        assertThat(run("server", "--service-node-port-range", "high", "--data-dir", unused)).isEqualTo(
                new Result(1, "", "ferry: --service-node-port-range must be MIN-MAX, got high\n"));
        // refused before anything starts (it once left the node waiting 60 s for a pod CIDR)
        assertThat(run("up", "--node-cidr-mask-size", "12", "--data-dir", unused)).isEqualTo(new Result(1, "",
                "ferry: --cluster-cidr 127.244.0.0/16 with --node-cidr-mask-size 12: cannot split 127.244.0.0/16 "
                        + "into /12 subnets\n"));
        assertThat(run("up", "--cluster-cidr", "10.0.0.0/33", "--data-dir", unused).err).isEqualTo("ferry: "
                + "--cluster-cidr 10.0.0.0/33 with --node-cidr-mask-size 24: cannot split 10.0.0.0/33 into /24 "
                + "subnets\n");
        assertThat(run("server", "--service-cluster-ip-range", "10.0.0.0", "--data-dir", unused).err)
                .isEqualTo("ferry: --service-cluster-ip-range must be a CIDR, got 10.0.0.0\n");
    }
}
