package dev.ferry.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine's real {@code dig} (dnsutils) against one DNS server. */
final class Dig {
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern FLAGS = Pattern.compile(";; flags: ([a-z ]+);");

    private final String server;
    private final int port;

    Dig(String server, int port) {
        this.server = server;
        this.port = port;
    }

    /** One record of an answer: owner, TTL, type and data as dig prints them (owner lower-cased). */
    record Rr(String name, long ttl, String type, String data) {
    }

    /** What dig printed for one query: the response code, header flags and the sections' records. */
    record Answer(String status, List<String> flags, List<Rr> answer, List<Rr> authority, List<Rr> additional,
            String raw) {
        /** The data of the answer records of {@code type}, sorted. */
        List<String> data(String type) {
            return answer.stream().filter(r -> r.type.equals(type)).map(Rr::data).sorted().toList();
        }
    }

    /** Queries {@code name} {@code type} with dig's defaults plus {@code options} (e.g. "+tcp", "+noedns"). */
    Answer query(String name, String type, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server, "-p", Integer.toString(port), name, type,
                "+time=2", "+tries=1", "+nocookie"));
        cmd.addAll(List.of(options));
        return parse(run(cmd));
    }

    /** A reverse lookup ({@code dig -x ip}). */
    Answer reverse(String ip) throws IOException, InterruptedException {
        return parse(run(List.of("dig", "@" + server, "-p", Integer.toString(port), "-x", ip, "+time=2",
                "+tries=1", "+nocookie")));
    }

    /** A zone transfer over TCP: the records, or an empty list when refused. */
    List<Rr> axfr(String zone) throws IOException, InterruptedException {
        String out = run(List.of("dig", "@" + server, "-p", Integer.toString(port), zone, "AXFR", "+time=5",
                "+tries=1"));
        List<Rr> records = new ArrayList<>();
        for (String line : out.split("\n")) {
            Rr rr = record(line);
            if (rr != null) {
                records.add(rr);
            }
        }
        return records;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 30 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static Answer parse(String out) {
        Matcher status = STATUS.matcher(out);
        Matcher flags = FLAGS.matcher(out);
        List<Rr> answer = new ArrayList<>();
        List<Rr> authority = new ArrayList<>();
        List<Rr> additional = new ArrayList<>();
        List<Rr> section = null;
        for (String line : out.split("\n")) {
            if (line.startsWith(";; ANSWER SECTION")) {
                section = answer;
            } else if (line.startsWith(";; AUTHORITY SECTION")) {
                section = authority;
            } else if (line.startsWith(";; ADDITIONAL SECTION")) {
                section = additional;
            } else if (line.isBlank()) {
                section = null;
            } else if (section != null) {
                Rr rr = record(line);
                if (rr != null) {
                    section.add(rr);
                }
            }
        }
        return new Answer(status.find() ? status.group(1) : "NO ANSWER",
                flags.find() ? List.of(flags.group(1).strip().split(" ")) : List.of(), answer, authority,
                additional, out);
    }

    private static Rr record(String line) {
        if (line.startsWith(";") || line.isBlank()) {
            return null;
        }
        String[] f = line.split("\\s+", 5);
        if (f.length < 5) {
            return null;
        }
        return new Rr(f[0].toLowerCase(Locale.ROOT), Long.parseLong(f[1]), f[3], f[4].strip());
    }
}
