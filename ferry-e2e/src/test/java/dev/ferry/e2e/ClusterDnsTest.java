package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The cluster DNS of a real {@code ferry up}, queried with the machine's real {@code dig}: every record type of the
 * Kubernetes DNS schema for Services created, changed and deleted with kubectl, negative answers, forwarding to an
 * upstream on loopback, truncation and TCP, zone transfer, and a pod resolving a Service through its search path.
 */
final class ClusterDnsTest {
    private static final String ZONE = "cluster.local";
    @TempDir
    static Path dir;
    private static StubUpstream upstream;
    private static Cluster cluster;

    /** A cluster (not {@link ClusterTest}'s) that forwards names outside its zone to a stub upstream. */
    @BeforeAll
    static void up() throws Exception {
        upstream = new StubUpstream();
        cluster = Cluster.start(dir, "--upstream", "127.0.0.1:" + upstream.port());
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
        upstream.close();
    }

    private static ConditionFactory eventually() {
        return ClusterTest.eventually();
    }

    private static JsonNode pod(String ns, String name) throws Exception {
        return cluster.get(ns, "pod", name);
    }

    private static void apply(String ns, String file, String yaml) throws Exception {
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest(file, yaml).toString());
    }

    private static Dig dig() {
        return new Dig(cluster.ferry().network().dnsIp(), 53);
    }

    private static String fqdn(String service, String ns) {
        return service + "." + ns + ".svc." + ZONE + ".";
    }

    private static String clusterIp(String ns, String service) throws Exception {
        return cluster.get(ns, "service", service).path("spec").path("clusterIP").asString();
    }

    @Test
    void clusterIpServiceNameFollowsTheService() throws Exception {
        String ns = "dns-clusterip";
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("my-service.yaml").toString());
        String ip = clusterIp(ns, "my-service");
        String name = fqdn("my-service", ns);

        eventually().until(() -> dig().query(name, "A").data("A").equals(List.of(ip)));
        Dig.Answer a = dig().query(name, "A");
        assertThat(a.status()).isEqualTo("NOERROR");
        assertThat(a.flags()).contains("aa");
        assertThat(a.answer()).singleElement().satisfies(rr -> {
            assertThat(rr.name()).isEqualTo(name);
            assertThat(rr.ttl()).isEqualTo(5);
        });
        assertThat(dig().query(name.toUpperCase(), "A").data("A")).as("case-insensitive").containsExactly(ip);

        Dig.Answer aaaa = dig().query(name, "AAAA");
        assertThat(aaaa.status()).as("NODATA").isEqualTo("NOERROR");
        assertThat(aaaa.answer()).isEmpty();
        assertThat(aaaa.authority()).extracting(Dig.Rr::type).containsExactly("SOA");

        assertThat(dig().reverse(ip).data("PTR")).containsExactly(name);

        cluster.ok("delete", "service", "my-service", "-n", ns);
        eventually().until(() -> dig().query(name, "A").status().equals("NXDOMAIN"));
        Dig.Answer gone = dig().query(name, "A");
        assertThat(gone.answer()).isEmpty();
        assertThat(gone.authority()).extracting(Dig.Rr::type).containsExactly("SOA");
        assertThat(dig().reverse(ip).data("PTR")).isEmpty();
    }

    @Test
    void srvRecordsForNamedPortsFollowPortChanges() throws Exception {
        String ns = "dns-srv";
        cluster.namespace(ns);
        apply(ns, "web.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app: web
                  ports:
                  - name: http
                    protocol: TCP
                    port: 80
                  - name: dns
                    protocol: UDP
                    port: 53
                """);
        String target = fqdn("web", ns);
        eventually().until(() -> dig().query("_http._tcp." + target, "SRV").data("SRV").size() == 1);
        assertThat(dig().query("_http._tcp." + target, "SRV").data("SRV").getFirst()).endsWith(" 80 " + target);
        assertThat(dig().query("_dns._udp." + target, "SRV").data("SRV").getFirst()).endsWith(" 53 " + target);
        assertThat(dig().query("_dns._tcp." + target, "SRV").status()).isEqualTo("NXDOMAIN");

        cluster.ok("patch", "service", "web", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/name\",\"value\":\"web\"}]");
        eventually().until(() -> dig().query("_web._tcp." + target, "SRV").data("SRV").size() == 1);
        assertThat(dig().query("_http._tcp." + target, "SRV").status()).isEqualTo("NXDOMAIN");
    }

    @Test
    void headlessServiceAnswersReadyPodsAndFollowsScaling() throws Exception {
        String ns = "dns-headless";
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("pods/hello-deployment.yaml").toString());
        apply(ns, "hello.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: hello
                spec:
                  clusterIP: None
                  selector:
                    app: MyApp
                  ports:
                  - name: serve
                    port: 9376
                """);
        String name = fqdn("hello", ns);
        eventually().until(() -> readyPodIps(ns).size() == 3
                && dig().query(name, "A").data("A").equals(List.copyOf(readyPodIps(ns))));
        assertThat(dig().query("_serve._tcp." + name, "SRV").data("SRV")).hasSize(3)
                .allSatisfy(srv -> assertThat(srv).contains(" 9376 ").endsWith("." + name));

        cluster.ok("scale", "deployment", "hello", "-n", ns, "--replicas=1");
        eventually().until(() -> dig().query(name, "A").data("A").size() == 1);
        assertThat(dig().query(name, "A").data("A")).containsExactlyElementsOf(readyPodIps(ns));
        cluster.ok("scale", "deployment", "hello", "-n", ns, "--replicas=0");
        eventually().until(() -> dig().query(name, "A").status().equals("NXDOMAIN"));
    }

    @Test
    void podHostnameAndSubdomainGetTheirOwnName() throws Exception {
        String ns = "dns-subdomain";
        cluster.namespace(ns);
        apply(ns, "web-0.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-0
                  labels:
                    app: sub
                spec:
                  hostname: web-0
                  subdomain: sub
                  containers:
                  - name: serve
                    image: ferry/serve-hostname
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: sub
                spec:
                  clusterIP: None
                  selector:
                    app: sub
                  ports:
                  - port: 9376
                """);
        String name = "web-0." + fqdn("sub", ns);
        eventually().until(() -> !pod(ns, "web-0").path("status").path("podIP").asString().isEmpty()
                && dig().query(name, "A").data("A").size() == 1);
        String podIp = pod(ns, "web-0").path("status").path("podIP").asString();
        assertThat(dig().query(name, "A").data("A")).containsExactly(podIp);
        assertThat(dig().reverse(podIp).data("PTR")).containsExactly(name);

        String dashed = podIp.replace('.', '-');
        assertThat(dig().query(dashed + "." + ns + ".pod." + ZONE, "A").data("A")).containsExactly(podIp);
        assertThat(dig().query("10-255-0-1." + ns + ".pod." + ZONE, "A").status())
                .as("pod records are verified against known pod IPs").isEqualTo("NXDOMAIN");
    }

    @Test
    void externalNameIsACnameAndTheSchemaVersionIsPublished() throws Exception {
        String ns = "dns-external";
        cluster.namespace(ns);
        cluster.ok("create", "service", "externalname", "db", "-n", ns, "--external-name", "db.example.test");
        eventually().until(() -> dig().query(fqdn("db", ns), "CNAME").data("CNAME").equals(List.of(
                "db.example.test.")));
        assertThat(dig().query("dns-version." + ZONE, "TXT").data("TXT")).containsExactly("\"1.1.0\"");
        Dig.Answer soa = dig().query(ZONE, "SOA");
        assertThat(soa.data("SOA")).singleElement().asString().startsWith("ns.dns." + ZONE + ". hostmaster."
                + ZONE + ". ");
        assertThat(dig().query("nothing-here." + ns + ".svc." + ZONE, "A").status()).isEqualTo("NXDOMAIN");
    }

    @Test
    void namesOutsideTheZoneAreForwardedAndCached() throws Exception {
        Dig.Answer a = dig().query("outside.example.test", "A");
        assertThat(a.status()).isEqualTo("NOERROR");
        assertThat(a.data("A")).containsExactly("192.0.2.7");
        int forwarded = upstream.queries();
        assertThat(forwarded).isPositive();
        assertThat(dig().query("outside.example.test", "A").data("A")).containsExactly("192.0.2.7");
        assertThat(upstream.queries()).as("the second answer came from the cache").isEqualTo(forwarded);
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndCompleteOverTcp() throws Exception {
        String ns = "dns-large";
        cluster.namespace(ns);
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            ports.append("  - name: port-").append(i).append("\n    port: ").append(1000 + i).append('\n');
        }
        apply(ns, "many.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: many\nspec:\n  selector:\n"
                + "    app: many\n  ports:\n" + ports);
        String name = fqdn("many", ns);
        eventually().until(() -> dig().query(name, "SRV", "+tcp").data("SRV").size() == 40);
        Dig.Answer udp = dig().query(name, "SRV", "+noedns", "+ignore");
        assertThat(udp.flags()).as("truncated over UDP without EDNS").contains("tc");
        assertThat(udp.answer().size()).isLessThan(40);
        assertThat(dig().query(name, "SRV", "+noedns").data("SRV")).as("dig retried over TCP").hasSize(40);

        List<Dig.Rr> zone = dig().axfr(ZONE);
        assertThat(zone.getFirst().type()).isEqualTo("SOA");
        assertThat(zone.getLast().type()).isEqualTo("SOA");
        assertThat(zone).extracting(Dig.Rr::name).contains(name);
    }

    @Test
    void kubeDnsServiceHoldsTheDnsAddress() throws Exception {
        JsonNode svc = cluster.get("kube-system", "service", "kube-dns");
        assertThat(svc.path("spec").path("clusterIP").asString()).isEqualTo(cluster.ferry().network().dnsIp());
        List<String> ports = new ArrayList<>();
        svc.path("spec").path("ports").forEach(p -> ports.add(p.path("protocol").asString() + "/"
                + p.path("port").asInt()));
        assertThat(ports).containsExactlyInAnyOrder("UDP/53", "TCP/53");
        assertThat(dig().reverse(cluster.ferry().network().dnsIp()).data("PTR"))
                .containsExactly(fqdn("kube-dns", "kube-system"));
    }

    @Test
    void aPodResolvesAServiceThroughItsSearchPath() throws Exception {
        Assumptions.assumeTrue(privateMountsWork(),
                "pods get their own resolv.conf only where the agent may make private mount namespaces (root)");
        String ns = "dns-pod";
        cluster.namespace(ns);
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("pods/hello-deployment.yaml").toString());
        cluster.ok("apply", "-n", ns, "-f", Cluster.resource("my-service.yaml").toString());
        cluster.ok("run", "client", "-n", ns, "--image", "ferry/echo", "--port", "8080");
        eventually().until(() -> !pod(ns, "client").path("status").path("podIP").asString().isEmpty()
                && readyPodIps(ns).size() == 3);
        String clientIp = pod(ns, "client").path("status").path("podIP").asString();
        HttpClient http = HttpClient.newHttpClient();
        URI dial = URI.create("http://" + clientIp + ":8080/dial?host=my-service&port=80&path=/");
        Set<String> answered = new TreeSet<>();
        eventually().until(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(dial).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                answered.add(r.body().strip());
            }
            return r.statusCode() == 200;
        });
        JsonNode pods = Cluster.JSON.readTree(cluster.ok("get", "pods", "-n", ns, "-l", "app=MyApp", "-o", "json")
                .out());
        List<String> names = new ArrayList<>();
        pods.path("items").forEach(p -> names.add(p.path("metadata").path("name").asString()));
        assertThat(answered).singleElement().isIn(names);
    }

    /** Whether this machine lets us (as the agent would) make a private mount namespace and bind-mount in it. */
    private static boolean privateMountsWork() throws Exception {
        if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
            return false;
        }
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind /etc/resolv.conf /etc/resolv.conf").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    /** The pod IPs of app=MyApp pods that are Ready and not terminating, sorted. */
    private static Set<String> readyPodIps(String ns) throws Exception {
        Set<String> out = new TreeSet<>();
        for (PodViews.PodView p : PodViews.pods(cluster.kubectl(), ns, "app=MyApp")) {
            if (p.ready() && !p.terminating()) {
                out.add(p.ip());
            }
        }
        return out;
    }
}
