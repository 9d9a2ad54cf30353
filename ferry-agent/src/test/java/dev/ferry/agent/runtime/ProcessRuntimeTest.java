package dev.ferry.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.runtime.ContainerRuntime.ExecResult;
import dev.ferry.agent.runtime.ContainerRuntime.StartFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

class ProcessRuntimeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Path state;
    private ProcessRuntime runtime;
    private final List<Container> started = new ArrayList<>();
    private final List<ProcessRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        state = dir.resolve("state");
        runtime = newRuntime();
    }

    @AfterEach
    void tearDown() {
        for (Container c : started) {
            if (c.pid() > 0) {
                Signals.group(c.pid(), "KILL");
                ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        runtimes.forEach(ProcessRuntime::close);
    }

    private ProcessRuntime newRuntime() {
        ProcessRuntime r = new ProcessRuntime(state, ImageCatalog.builtIns(), InstantSource.system());
        runtimes.add(r);
        return r;
    }

    private ContainerLaunch launch(String image, List<String> command, Map<String, String> env, String workingDir) {
        return new ContainerLaunch("uid-1", "ns", "pod-1", "main", 0, image, command, List.of(), env, workingDir,
                "127.0.0.1", dir.resolve("logs/main/0.log"));
    }

    private Container start(ContainerLaunch launch) throws StartFailure {
        Container c = runtime.start(launch);
        started.add(c);
        return c;
    }

    private Container sh(String script) throws StartFailure {
        return start(launch("busybox", List.of("sh", "-c", script), Map.of(), ""));
    }

    private static int exitOf(Container c) throws Exception {
        return c.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static String log(Container c) throws IOException {
        return Files.readString(c.logFile());
    }

    private static List<Path> records(Path state) throws IOException {
        try (var files = Files.list(state.resolve("containers"))) {
            return files.filter(p -> p.toString().endsWith(".json")).toList();
        }
    }

    @Test
    void runsWithExactlyTheLaunchEnvironmentAndWorkingDirectoryLoggingStdoutAndStderr() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Container c = start(launch("busybox", List.of("sh", "-c", "echo out=$FOO; pwd; echo err >&2; env"),
                Map.of("FOO", "bar baz"), work.toString()));
        assertThat(exitOf(c)).isZero();
        String log = log(c);
        assertThat(log).contains("out=bar baz\n", work + "\n", "err\n", "FOO=bar baz\n", "PATH=");
        assertThat(log).as("nothing inherited from the agent").doesNotContain("HOME=", "JAVA_HOME=", "USER=");
    }

    @Test
    void appendsToAnExistingLogFile() throws Exception {
        Files.createDirectories(dir.resolve("logs/main"));
        Files.writeString(dir.resolve("logs/main/0.log"), "before\n");
        Container c = sh("echo after");
        assertThat(exitOf(c)).isZero();
        assertThat(log(c)).isEqualTo("before\nafter\n");
    }

    @Test
    void exitCodesAreTheProcessesOwnOr128PlusSignal() throws Exception {
        assertThat(exitOf(sh("exit 3"))).isEqualTo(3);
        Container sleeper = sh("exec sleep 1000");
        sleeper.kill();
        assertThat(exitOf(sleeper)).isEqualTo(137);
    }

    @Test
    void eachContainerLeadsItsOwnSessionAndProcessGroupWithTheSamePid() throws Exception {
        Container c = start(launch("busybox", List.of("sleep", "1000"), Map.of(), ""));
        ProcStat stat = await().atMost(DEADLINE).until(() -> ProcStat.read(c.pid()).orElseThrow(),
                s -> s.pgrp() == c.pid());
        assertThat(stat.session()).isEqualTo(c.pid());
        String cmdline = Files.readString(Path.of("/proc/" + c.pid() + "/cmdline")).replace('\0', ' ');
        assertThat(cmdline).as("setsid exec'd in place").startsWith("sleep 1000");
        assertThat(ProcStat.read(c.pid()).orElseThrow().session())
                .isNotEqualTo(ProcStat.read(ProcessHandle.current().pid()).orElseThrow().session());
    }

    @Test
    void terminateSignalsTheWholeProcessGroup() throws Exception {
        Container c = sh("sleep 1000 & echo child=$!; wait");
        long child = await().atMost(DEADLINE).until(() -> childPid(c), pid -> pid > 0);
        assertThat(ProcessHandle.of(child)).isPresent();
        c.terminate();
        assertThat(exitOf(c)).isEqualTo(143);
        await().atMost(DEADLINE).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void whenTheMainProcessEndsTheRestOfItsGroupIsKilled() throws Exception {
        Container c = sh("sleep 1000 & echo child=$!; sleep 0.2; exit 0");
        long child = await().atMost(DEADLINE).until(() -> childPid(c), pid -> pid > 0);
        assertThat(exitOf(c)).isZero();
        await().atMost(DEADLINE).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    private static long childPid(Container c) throws IOException {
        return log(c).lines().filter(l -> l.startsWith("child=")).mapToLong(l -> Long.parseLong(l.substring(6)))
                .findFirst().orElse(-1);
    }

    @Test
    void missingExecutableOrWorkingDirectoryIsARunContainerError() throws IOException {
        assertThatThrownBy(() -> start(launch("busybox", List.of("no-such-program-xyz"), Map.of(), "")))
                .isInstanceOfSatisfying(StartFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo("RunContainerError");
                    assertThat(e.getMessage()).isEqualTo(
                            "exec: \"no-such-program-xyz\": executable file not found in $PATH");
                });
        assertThatThrownBy(() -> start(launch("busybox", List.of("/no/such/bin"), Map.of(), "")))
                .isInstanceOf(StartFailure.class).hasMessageContaining("no such file or directory");
        Path notExecutable = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        assertThatThrownBy(() -> start(launch("busybox", List.of(notExecutable.toString()), Map.of(), "")))
                .isInstanceOf(StartFailure.class).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> start(launch("busybox", List.of("true"), Map.of(), "/no/such/dir")))
                .isInstanceOfSatisfying(StartFailure.class, e -> assertThat(e.reason()).isEqualTo("RunContainerError"))
                .hasMessageContaining("/no/such/dir");
        assertThatThrownBy(() -> start(launch("busybox", List.of("true"), Map.of("PATH", "/nowhere"), "")))
                .as("the container's PATH is searched").isInstanceOf(StartFailure.class);
    }

    @Test
    void unknownImageIsErrImagePull() {
        assertThatThrownBy(() -> start(launch("nginx", List.of(), Map.of(), "")))
                .isInstanceOfSatisfying(StartFailure.class, e -> assertThat(e.reason()).isEqualTo("ErrImagePull"));
    }

    @Test
    void aRecordIsKeptWhileTheContainerRunsAndRemovedWhenItsExitIsObserved() throws Exception {
        Container c = start(launch("busybox", List.of("sleep", "1000"), Map.of("A", "1"), ""));
        List<Path> files = records(state);
        assertThat(files).hasSize(1);
        ContainerRecord record = ContainerRecord.fromJson(Files.readString(files.getFirst()));
        assertThat(record.id()).isEqualTo(c.id());
        assertThat(record.pid()).isEqualTo(c.pid());
        assertThat(record.procStartTicks()).isEqualTo(ProcStat.read(c.pid()).orElseThrow().startTicks());
        assertThat(record.launch()).isEqualTo(c.launch());
        c.kill();
        exitOf(c);
        assertThat(records(state)).isEmpty();
    }

    @Test
    void aNewRuntimeOnTheSameStateAdoptsRunningContainersAndWatchesTheirExit() throws Exception {
        Container original = start(launch("busybox", List.of("sleep", "1000"), Map.of("A", "1"), ""));
        Container ended = sh("exit 0");
        exitOf(ended);
        runtime.close();

        ProcessRuntime restarted = newRuntime();
        List<Container> recovered = restarted.recover();
        assertThat(recovered).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(original.id());
            assertThat(c.pid()).isEqualTo(original.pid());
            assertThat(c.launch()).isEqualTo(original.launch());
            assertThat(c.startedAt()).isEqualTo(original.startedAt());
        });
        assertThat(restarted.recover()).as("idempotent").containsExactlyElementsOf(recovered);
        Container adopted = recovered.getFirst();
        ExecResult exec = restarted.exec(adopted, List.of("sh", "-c", "echo A=$A"), Duration.ofSeconds(10));
        assertThat(exec).isEqualTo(new ExecResult(0, "A=1\n"));
        adopted.terminate();
        assertThat(exitOf(adopted)).as("an adopted process's exit code is unknown").isEqualTo(-1);
        assertThat(records(state)).isEmpty();
    }

    @Test
    void recoverSkipsRecordsWhosePidIsDeadOrReused() throws Exception {
        ContainerLaunch launch = launch("busybox", List.of("sleep", "1"), Map.of(), "");
        long self = ProcessHandle.current().pid();
        long selfTicks = ProcStat.read(self).orElseThrow().startTicks();
        Files.writeString(state.resolve("containers/reused.json"),
                new ContainerRecord("reused", self, selfTicks + 1, Instant.now(), launch).toJson());
        Files.writeString(state.resolve("containers/dead.json"),
                new ContainerRecord("dead", Integer.MAX_VALUE, 1, Instant.now(), launch).toJson());
        Files.writeString(state.resolve("containers/garbage.json"), "{not json");
        assertThat(runtime.recover()).isEmpty();
        assertThat(records(state)).isEmpty();
    }

    @Test
    void execRunsWithTheContainersEnvironmentAndWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Container c = start(launch("busybox", List.of("sleep", "1000"), Map.of("GREETING", "hi"), work.toString()));
        assertThat(runtime.exec(c, List.of("sh", "-c", "echo $GREETING; pwd; echo e >&2; exit 4"),
                Duration.ofSeconds(10))).isEqualTo(new ExecResult(4, "hi\n" + work + "\ne\n"));
    }

    @Test
    void execOutputIsTruncatedTo4KiB() throws Exception {
        Container c = sh("exec sleep 1000");
        ExecResult result = runtime.exec(c, List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"),
                Duration.ofSeconds(10));
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).hasSize(4096);
    }

    @Test
    void execTimeoutKillsTheCommandAndReportsMinusOne() throws Exception {
        Container c = sh("exec sleep 1000");
        ExecResult result = runtime.exec(c, List.of("sh", "-c", "echo started; echo pid=$$; exec sleep 1000"),
                Duration.ofMillis(500));
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(result.output()).startsWith("started\n");
        long pid = Long.parseLong(result.output().lines().filter(l -> l.startsWith("pid=")).findFirst()
                .orElseThrow().substring(4));
        await().atMost(DEADLINE).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void execOfAMissingProgramOrInAStoppedContainer() throws Exception {
        Container c = sh("exec sleep 1000");
        assertThat(runtime.exec(c, List.of("no-such-probe"), Duration.ofSeconds(5)))
                .isEqualTo(new ExecResult(127, "exec: \"no-such-probe\": executable file not found in $PATH"));
        c.kill();
        exitOf(c);
        assertThat(runtime.exec(c, List.of("true"), Duration.ofSeconds(5)).exitCode()).isEqualTo(-1);
    }

    @Test
    void serveHostnameImageAnswersOnThePodIpAndExitsZeroOnTerminate() throws Exception {
        String podIp = "127.32." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(podIp))) {
            port = probe.getLocalPort();
        }
        Container c = start(launch("ferry/serve-hostname", List.of(),
                Map.of("POD_IP", podIp, "PORT", String.valueOf(port), "HOSTNAME", "pod-1"), ""));
        String answer = await().atMost(DEADLINE).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(podIp, port), 1000);
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }, a -> !a.isEmpty());
        assertThat(answer).isEqualTo("pod-1\n");
        c.terminate();
        assertThat(exitOf(c)).isZero();
        assertThat(log(c)).contains("serve-hostname listening on " + podIp + ":" + port);
    }
}
