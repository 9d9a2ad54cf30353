package dev.ferry.proxy.sync;

import static dev.ferry.proxy.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import java.net.BindException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindProblemsTest {

    @ParameterizedTest(name = "{0} on port {1}")
    @CsvSource(delimiter = '|', value = {
        "Permission denied              | 80   | cannot serve TCP 127.77.9.1:80: permission denied: ports below 1024 "
                + "need root or CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start=80)",
        "bind(..) failed: EACCES        | 443  | cannot serve TCP 127.77.9.1:443: permission denied: ports below 1024 "
                + "need root or CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start=443)",
        "Permission denied              | 8080 | cannot serve TCP 127.77.9.1:8080: permission denied",
        "Address already in use         | 8080 | cannot serve TCP 127.77.9.1:8080: the address is already in use by "
                + "another process; stop it or change the Service's port",
        "Cannot assign requested address| 8080 | cannot serve TCP 127.77.9.1:8080: the address is not on this machine",
        "something else                 | 8080 | cannot serve TCP 127.77.9.1:8080: something else",
    })
    void describesTheCauseAndTheFix(String message, int port, String expected) {
        Frontend f = new Frontend(ip("127.77.9.1"), port, Protocol.TCP);
        assertThat(BindProblems.describe(f, new BindException(message))).isEqualTo(expected);
    }
}
