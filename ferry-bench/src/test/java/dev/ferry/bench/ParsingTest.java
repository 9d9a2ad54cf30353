package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    void watchLineGivesTypeAndMetadataName() {
        String line = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":"
                + "{\"name\":\"w-000042\",\"namespace\":\"watch\"},\"spec\":{\"ports\":[{\"name\":\"http\"}]}}}";

        assertThat(WatchEvents.type(line)).isEqualTo("ADDED");
        assertThat(WatchEvents.objectName(line)).isEqualTo("w-000042");
        assertThat(WatchEvents.objectName("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\"}}")).isNull();
    }

    @Test
    void vmRssFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n";

        assertThat(ProcStatus.vmRssKib(status)).isEqualTo(123456);
        assertThatThrownBy(() -> ProcStatus.vmRssKib("Name:\tjava\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void busyTimeFromProcStatSkipsIdleAndIowait() {
        String stat = "cpu  100 5 20 9000 300 1 2 3 0 0\ncpu0 50 2 10 4500 150 0 1 1 0 0\n";

        assertThat(ProcStatus.busyNanos(stat)).isEqualTo((100 + 5 + 20 + 1 + 2 + 3) * 10_000_000L);
    }

    @Test
    void optionsRejectUnknownStoreAndFlag() {
        assertThat(Options.parse(new String[] {"--store", "etcd", "--creates", "10"}).creates).isEqualTo(10);
        assertThatThrownBy(() -> Options.parse(new String[] {"--store", "mysql"}))
                .hasMessageContaining("sqlite or etcd");
        assertThatThrownBy(() -> Options.parse(new String[] {"--nope", "1"})).hasMessageContaining("unknown option");
    }
}
