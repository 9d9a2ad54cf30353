package dev.ferry.dns.zone;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;

/**
 * Everything the zone holds at one name, immutable, so a reader sees whole RRsets whatever a writer does meanwhile.
 *
 * @param records the name's records grouped by type (each RRset contiguous); empty for an empty non-terminal
 * @param additional what an answer of this name's SRV or NS RRset carries in the additional section: the A/AAAA of the
 *     targets
 */
record Node(List<Record> records, List<Record> additional) {

    /** A name that exists only because names below it do. */
    static final Node EMPTY_NON_TERMINAL = new Node(List.of(), List.of());

    Node {
        records = List.copyOf(records);
        additional = List.copyOf(additional);
    }

    static Node of(List<Record> records) {
        return new Node(records, List.of());
    }

    boolean emptyNonTerminal() {
        return records.isEmpty();
    }

    /** The RRset of {@code type}, empty when the name has none. */
    List<Record> rrset(int type) {
        int from = -1;
        int to = records.size();
        for (int i = 0; i < records.size(); i++) {
            int t = records.get(i).getType();
            if (t == type && from < 0) {
                from = i;
            } else if (t != type && from >= 0) {
                to = i;
                break;
            }
        }
        return from < 0 ? List.of() : records.subList(from, to);
    }

    /** A node of {@code sets} concatenated, the caller's RRsets kept together. */
    @SafeVarargs
    static Node concat(List<Record> additional, List<? extends Record>... sets) {
        List<Record> all = new ArrayList<>();
        for (List<? extends Record> set : sets) {
            all.addAll(set);
        }
        return new Node(all, additional);
    }
}
