package dev.ferry.dns;

import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What the DNS server asks of the data it serves: answers for the names it is authoritative for. Implementations are
 * safe for concurrent use; answers reflect every change applied before the call.
 */
public interface Authority {
    /**
     * The response to {@code query} (one question, opcode QUERY, class IN or ANY; never AXFR/IXFR), or {@code null}
     * when the question's name is not this authority's to answer, so the server forwards it (or refuses it). The
     * response carries the query's ID and question as sent (case included), AA set, and the rcode, answer and
     * authority sections; the server adds EDNS and truncates.
     */
    Message answer(Message query);

    /**
     * The records of a zone transfer (AXFR) of {@code zone}, starting and ending with its SOA, or {@code null} when
     * {@code zone} is not a zone of this authority.
     */
    List<Record> transfer(Name zone);

    /** Increases whenever any answer may have changed; the server's answer cache keys on it. */
    long generation();
}
