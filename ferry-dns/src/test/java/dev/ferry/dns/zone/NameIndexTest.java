package dev.ferry.dns.zone;

import static dev.ferry.dns.zone.Zones.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/** Empty non-terminals come and go with the names below them. */
class NameIndexTest {
    private final NameIndex index = new NameIndex(name("zone."));

    private static Node a(String owner) {
        return Node.of(List.of(new ARecord(name(owner), DClass.IN, 5, Zones.ip("10.0.0.1"))));
    }

    @Test
    void ancestorsExistWhileADescendantOwnsRecords() {
        index.put(name("a.b.c.zone."), a("a.b.c.zone."));
        index.put(name("x.c.zone."), a("x.c.zone."));

        assertThat(index.get(name("B.C.ZONE."))).isEqualTo(Node.EMPTY_NON_TERMINAL);
        assertThat(index.get(name("c.zone."))).isEqualTo(Node.EMPTY_NON_TERMINAL);
        assertThat(index.get(name("zone."))).isNull();

        index.remove(name("a.b.c.zone."));
        assertThat(index.get(name("b.c.zone."))).isNull();
        assertThat(index.get(name("c.zone."))).isEqualTo(Node.EMPTY_NON_TERMINAL);

        index.remove(name("x.c.zone."));
        assertThat(index.get(name("c.zone."))).isNull();
    }

    @Test
    void aNameWithRecordsBecomesEmptyNonTerminalWhenChildrenRemain() {
        index.put(name("b.zone."), a("b.zone."));
        index.put(name("a.b.zone."), a("a.b.zone."));

        assertThat(index.remove(name("b.zone."))).isTrue();
        assertThat(index.get(name("b.zone."))).isEqualTo(Node.EMPTY_NON_TERMINAL);
        assertThat(index.remove(name("b.zone."))).isFalse();

        index.remove(name("a.b.zone."));
        assertThat(index.get(name("b.zone."))).isNull();
    }

    @Test
    void replacingRecordsDoesNotCountTwice() {
        Name n = name("a.b.zone.");
        assertThat(index.put(n, a("a.b.zone."))).isTrue();
        assertThat(index.put(n, a("a.b.zone."))).isFalse();

        index.remove(n);

        assertThat(index.get(name("b.zone."))).isNull();
    }

    @Test
    void pinnedNamesStay() {
        index.pin(name("svc.zone."));
        index.put(name("a.svc.zone."), a("a.svc.zone."));
        index.remove(name("a.svc.zone."));

        assertThat(index.get(name("svc.zone."))).isEqualTo(Node.EMPTY_NON_TERMINAL);
    }
}
