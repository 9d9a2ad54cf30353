package dev.ferry.proxy.dataplane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** What the data plane's socket tests share: addresses of their own, a data plane, and cleanup after each test. */
abstract class DataPlaneFixture {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    final TestNet net = new TestNet();
    /** Closed after each test, last added first. */
    final List<AutoCloseable> closeables = new ArrayList<>();
    NettyDataPlane dataPlane;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        if (dataPlane != null) {
            dataPlane.close();
        }
    }

    NettyDataPlane start(DataPlaneConfig config) {
        dataPlane = new NettyDataPlane(config);
        return dataPlane;
    }

    static DataPlaneConfig config() {
        return DataPlaneConfig.defaults().withEventLoops(2);
    }
}
