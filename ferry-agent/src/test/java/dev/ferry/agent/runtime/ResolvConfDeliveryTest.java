package dev.ferry.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.runtime.ContainerRuntime.ExecResult;
import dev.ferry.agent.runtime.ContainerRuntime.StartFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers see their pod's resolv.conf: as /etc/resolv.conf in a private mount namespace (root with unshare only;
 * those tests are skipped otherwise), or in their environment.
 */
class ResolvConfDeliveryTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Path HOST_FILE = Path.of("/etc/resolv.conf");

    @TempDir
    Path dir;
    private Path podFile;
    private String podContent;
    private final List<Container> started = new ArrayList<>();
    private final List<ProcessRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void writePodFile() throws IOException {
        String nameserver = "127.78." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
        podContent = "search ns.svc.cluster.local svc.cluster.local cluster.local\nnameserver " + nameserver
                + "\noptions ndots:5\n";
        podFile = Files.writeString(Files.createDirectories(dir.resolve("pods/uid-1")).resolve("resolv.conf"),
                podContent);
    }

    @AfterEach
    void tearDown() {
        for (Container c : started) {
            Signals.group(c.pid(), "KILL");
            ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        runtimes.forEach(ProcessRuntime::close);
    }

    private ProcessRuntime runtime(ResolvConfDelivery delivery) {
        ProcessRuntime r = new ProcessRuntime(dir.resolve("state"), ImageCatalog.builtIns(), InstantSource.system(),
                delivery);
        runtimes.add(r);
        return r;
    }

    private Container start(ProcessRuntime runtime, List<String> command, Path resolvConf) throws StartFailure {
        Container c = runtime.start(new ContainerLaunch("uid-1", "ns", "pod-1", "main", 0, "busybox", command,
                List.of(), Map.of(), "", "127.0.0.1", dir.resolve("logs/main/" + started.size() + ".log"),
                resolvConf));
        started.add(c);
        return c;
    }

    private static int exitOf(Container c) throws Exception {
        return c.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void assumePrivateMounts() {
        assumeThat(ResolvConfDelivery.isRoot()).as("euid 0").isTrue();
        assumeThat(ResolvConfDelivery.detect()).as("unshare --mount works").isEqualTo(ResolvConfDelivery.PRIVATE_MOUNT);
    }

    @Test
    void asRootTheContainerSeesThePodsFileAndTheNodesFileIsUnchanged() throws Exception {
        assumePrivateMounts();
        String hostBefore = Files.readString(HOST_FILE);
        Container c = start(runtime(ResolvConfDelivery.PRIVATE_MOUNT),
                List.of("sh", "-c", "cat /etc/resolv.conf; echo pid=$$; echo dns=${FERRY_DNS_NAMESERVERS-unset}"),
                podFile);
        assertThat(exitOf(c)).isZero();
        assertThat(Files.readString(c.logFile()))
                .isEqualTo(podContent + "pid=" + c.pid() + "\ndns=unset\n");
        assertThat(Files.readString(HOST_FILE)).isEqualTo(hostBefore);
    }

    @Test
    void asRootTheTrackedPidIsTheCommandItselfAndSignalsReachIt() throws Exception {
        assumePrivateMounts();
        Container c = start(runtime(ResolvConfDelivery.PRIVATE_MOUNT), List.of("sleep", "1000"), podFile);
        await().atMost(DEADLINE).until(() -> Files.readString(Path.of("/proc/" + c.pid() + "/cmdline"))
                .replace('\0', ' ').startsWith("sleep 1000"));
        ProcStat stat = ProcStat.read(c.pid()).orElseThrow();
        assertThat(stat.pgrp()).isEqualTo(c.pid());
        assertThat(stat.session()).isEqualTo(c.pid());
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + c.pid() + "/ns/mnt")))
                .as("a mount namespace of its own")
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
        c.terminate();
        assertThat(exitOf(c)).isEqualTo(143);
    }

    @Test
    void asRootTheEnvironmentIsExactlyTheContainersOwn() throws Exception {
        assumePrivateMounts();
        ProcessRuntime runtime = runtime(ResolvConfDelivery.PRIVATE_MOUNT);
        Container plain = runtime.start(new ContainerLaunch("uid-1", "ns", "pod-1", "plain", 0, "busybox",
                List.of("env"), List.of(), Map.of("A", "1"), "", "127.0.0.1", dir.resolve("logs/plain.log"), podFile));
        Container own = runtime.start(new ContainerLaunch("uid-1", "ns", "pod-1", "own", 0, "busybox",
                List.of("env"), List.of(), Map.of("PWD", "/mine"), "", "127.0.0.1", dir.resolve("logs/own-pwd.log"),
                podFile));
        started.add(plain);
        started.add(own);
        assertThat(exitOf(plain)).isZero();
        assertThat(exitOf(own)).isZero();
        assertThat(Files.readAllLines(plain.logFile())).contains("A=1")
                .noneMatch(l -> l.startsWith("PWD=") || l.startsWith("SHLVL=") || l.startsWith("_=")
                        || l.startsWith("OLDPWD="));
        assertThat(Files.readAllLines(own.logFile())).contains("PWD=/mine");
    }

    @Test
    void asRootExecedCommandsSeeThePodsFileToo() throws Exception {
        assumePrivateMounts();
        ProcessRuntime runtime = runtime(ResolvConfDelivery.PRIVATE_MOUNT);
        Container c = start(runtime, List.of("sleep", "1000"), podFile);
        ExecResult result = runtime.exec(c, List.of("cat", "/etc/resolv.conf"), DEADLINE);
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).isEqualTo(podContent);
    }

    @Test
    void withoutPrivateMountsTheEnvironmentCarriesThePodsSettings() throws Exception {
        String hostContent = Files.readString(HOST_FILE);
        Container c = start(runtime(ResolvConfDelivery.ENVIRONMENT), List.of("sh", "-c",
                "echo \"$FERRY_DNS_NAMESERVERS|$FERRY_DNS_SEARCH|$FERRY_DNS_OPTIONS|$FERRY_RESOLV_CONF\"; "
                        + "cat /etc/resolv.conf"), podFile);
        assertThat(exitOf(c)).isZero();
        String nameserver = podContent.lines().filter(l -> l.startsWith("nameserver ")).findFirst().orElseThrow()
                .substring("nameserver ".length());
        assertThat(Files.readString(c.logFile())).isEqualTo(nameserver
                + "|ns.svc.cluster.local svc.cluster.local cluster.local|ndots:5|" + podFile.toAbsolutePath() + "\n"
                + hostContent);
    }

    @Test
    void theLaunchsOwnVariablesWinOverTheDnsOnes() throws Exception {
        ProcessRuntime runtime = runtime(ResolvConfDelivery.ENVIRONMENT);
        Container c = runtime.start(new ContainerLaunch("uid-1", "ns", "pod-1", "main", 0, "busybox",
                List.of("sh", "-c", "echo $FERRY_DNS_SEARCH"), List.of(), Map.of("FERRY_DNS_SEARCH", "mine"), "",
                "127.0.0.1", dir.resolve("logs/own.log"), podFile));
        started.add(c);
        assertThat(exitOf(c)).isZero();
        assertThat(Files.readString(c.logFile())).isEqualTo("mine\n");
    }

    @Test
    void aLaunchWithoutAPodFileKeepsTheNodesFileAndGetsNoDnsVariables() throws Exception {
        String hostContent = Files.readString(HOST_FILE);
        for (ResolvConfDelivery delivery : ResolvConfDelivery.values()) {
            Container c = start(runtime(delivery), List.of("sh", "-c",
                    "echo ${FERRY_DNS_NAMESERVERS-unset}; cat /etc/resolv.conf"), null);
            assertThat(exitOf(c)).isZero();
            assertThat(Files.readString(c.logFile())).as(delivery.name()).isEqualTo("unset\n" + hostContent);
        }
    }

    @Test
    void theRecordKeepsThePodsFileForAdoption() {
        ContainerLaunch launch = new ContainerLaunch("u", "ns", "p", "c", 1, "busybox", List.of("sleep"), List.of(),
                Map.of(), "", "127.0.0.1", Path.of("/tmp/x.log"), podFile);
        ContainerRecord record = new ContainerRecord("id", 1, 2, java.time.Instant.EPOCH, launch);
        assertThat(ContainerRecord.fromJson(record.toJson()).launch()).isEqualTo(launch);
        ContainerLaunch hostFile = launch.withResolvConf(null);
        assertThat(ContainerRecord.fromJson(new ContainerRecord("id", 1, 2, java.time.Instant.EPOCH, hostFile)
                .toJson()).launch().resolvConf()).isNull();
    }
}
