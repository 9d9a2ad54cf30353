package dev.ferry.agent.dns;

import dev.ferry.api.net.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Forms a pod's resolv.conf as the kubelet does (pkg/kubelet/network/dns, ExpandedDNSConfig on). Pure.
 *
 * <p><b>DNS type</b> by {@code spec.dnsPolicy}: {@code None} → empty base; {@code ClusterFirstWithHostNet} →
 * cluster; {@code ClusterFirst} (also when empty, the API default, or unknown) → cluster, except on a hostNetwork
 * pod, where it is {@code Default}; {@code Default} → the node's resolv.conf.
 *
 * <p><b>Cluster</b>: nameservers = the cluster DNS IPs only; search = {@code <ns>.svc.<zone> svc.<zone> <zone>} then
 * the node's search domains, duplicates dropped (the node's list alone when the zone is ""); options =
 * {@code ndots:5} only. Without cluster DNS IPs the pod gets Warning {@code MissingClusterDNS} and the node's
 * settings instead.
 *
 * <p><b>Default</b>: the node's nameservers, search and options; when the agent has no node resolv.conf (path
 * unset), nameserver 127.0.0.1 and search {@code .}, as the kubelet with {@code --resolv-conf=""}.
 *
 * <p><b>dnsConfig</b> is then appended: nameservers and searches with duplicates dropped, options merged by name
 * with the pod's values winning (a name keeps its first position).
 *
 * <p><b>Limits</b>: at most {@value #MAX_NAMESERVERS} nameservers; at most {@value #MAX_SEARCH_DOMAINS} search domains,
 * none longer than {@value #MAX_SEARCH_DOMAIN_CHARS} characters, the search line (joined by spaces) at most
 * {@value #MAX_SEARCH_LINE_CHARS} characters, cut from the end. Anything cut gives Warning {@code DNSConfigForming}
 * with the kubelet's message.
 */
public final class PodDnsConfigurer {
    public static final int MAX_NAMESERVERS = 3;
    public static final int MAX_SEARCH_DOMAINS = 32;
    public static final int MAX_SEARCH_LINE_CHARS = 2048;
    /** DNS-1123 subdomain max length: longer search paths make some resolvers (glibc 2.28) abort. */
    public static final int MAX_SEARCH_DOMAIN_CHARS = 253;
    static final List<String> DEFAULT_OPTIONS = List.of("ndots:5");

    enum DnsType { CLUSTER, HOST, NONE }

    private final List<String> clusterDns;
    private final String clusterDomain;

    /**
     * @param clusterDns    the kubelet's clusterDNS: nameserver IPs for cluster-first pods; empty = none configured
     * @param clusterDomain the kubelet's clusterDomain, e.g. {@code cluster.local}; "" = no cluster search domains
     */
    public PodDnsConfigurer(List<String> clusterDns, String clusterDomain) {
        this.clusterDns = List.copyOf(clusterDns);
        this.clusterDomain = clusterDomain == null ? "" : clusterDomain;
    }

    /**
     * @param host the node's resolv.conf, or null when the agent has none configured
     */
    public PodDns configure(Pod pod, ResolvConf host) {
        List<DnsEvent> events = new ArrayList<>();
        ResolvConf base = host == null ? ResolvConf.EMPTY : host;
        DnsType type = dnsType(pod);
        if (type == DnsType.CLUSTER && clusterDns.isEmpty()) {
            events.add(new DnsEvent(DnsEvent.MISSING_CLUSTER_DNS, "pod: \"" + podRef(pod) + "\". kubelet does not "
                    + "have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling "
                    + "back to \"Default\" policy."));
            type = DnsType.HOST;
        }
        ResolvConf conf = switch (type) {
            case NONE -> ResolvConf.EMPTY;
            case CLUSTER -> new ResolvConf(clusterDns, clusterSearches(namespace(pod), base.searches()),
                    DEFAULT_OPTIONS);
            case HOST -> host != null ? base : new ResolvConf(List.of("127.0.0.1"), List.of("."), List.of());
        };
        PodDNSConfig dnsConfig = pod.getSpec() == null ? null : pod.getSpec().getDnsConfig();
        if (dnsConfig != null) {
            conf = new ResolvConf(
                    distinct(concat(conf.nameservers(), dnsConfig.getNameservers())),
                    distinct(concat(conf.searches(), dnsConfig.getSearches())),
                    mergeOptions(conf.options(), dnsConfig.getOptions()));
        }
        int before = events.size();
        conf = new ResolvConf(fitNameservers(conf.nameservers(), events), fitSearches(conf.searches(), events),
                conf.options());
        boolean hostFile = type == DnsType.HOST && host != null && dnsConfig == null && events.size() == before;
        return new PodDns(conf, hostFile, events);
    }

    static DnsType dnsType(Pod pod) {
        String policy = pod.getSpec() == null || pod.getSpec().getDnsPolicy() == null ? ""
                : pod.getSpec().getDnsPolicy();
        boolean hostNetwork = pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        return switch (policy) {
            case "None" -> DnsType.NONE;
            case "ClusterFirstWithHostNet" -> DnsType.CLUSTER;
            case "Default" -> DnsType.HOST;
            // ClusterFirst, the default; the kubelet also falls back to it for a policy it does not know
            default -> hostNetwork ? DnsType.HOST : DnsType.CLUSTER;
        };
    }

    List<String> clusterSearches(String namespace, List<String> hostSearches) {
        if (clusterDomain.isEmpty()) {
            return hostSearches;
        }
        return distinct(concat(List.of(namespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain),
                hostSearches));
    }

    /** Options by name ("name" or "name:value"); the pod's override, keeping the first position of each name. */
    static List<String> mergeOptions(List<String> existing, List<PodDNSConfigOption> pod) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String option : existing) {
            int colon = option.indexOf(':');
            if (colon >= 0) {
                byName.put(option.substring(0, colon), option.substring(colon + 1));
            } else {
                byName.put(option, "");
            }
        }
        if (pod != null) {
            for (PodDNSConfigOption option : pod) {
                byName.put(option.getName(), option.getValue() == null ? "" : option.getValue());
            }
        }
        List<String> out = new ArrayList<>(byName.size());
        byName.forEach((name, value) -> out.add(value.isEmpty() ? name : name + ":" + value));
        return out;
    }

    static List<String> fitNameservers(List<String> nameservers, List<DnsEvent> events) {
        if (nameservers.size() <= MAX_NAMESERVERS) {
            return nameservers;
        }
        List<String> kept = nameservers.subList(0, MAX_NAMESERVERS);
        events.add(new DnsEvent(DnsEvent.DNS_CONFIG_FORMING, "Nameserver limits were exceeded, some nameservers "
                + "have been omitted, the applied nameserver line is: " + String.join(" ", kept)));
        return kept;
    }

    static List<String> fitSearches(List<String> searches, List<DnsEvent> events) {
        boolean exceeded = false;
        List<String> kept = new ArrayList<>(searches);
        if (kept.size() > MAX_SEARCH_DOMAINS) {
            kept = new ArrayList<>(kept.subList(0, MAX_SEARCH_DOMAINS));
            exceeded = true;
        }
        exceeded |= kept.removeIf(s -> s.length() > MAX_SEARCH_DOMAIN_CHARS);
        int lineLength = String.join(" ", kept).length();
        while (lineLength > MAX_SEARCH_LINE_CHARS) {
            lineLength -= kept.removeLast().length() + 1;
            exceeded = true;
        }
        if (exceeded) {
            events.add(new DnsEvent(DnsEvent.DNS_CONFIG_FORMING, "Search Line limits were exceeded, some search "
                    + "paths have been omitted, the applied search line is: " + String.join(" ", kept)));
        }
        return kept;
    }

    private static List<String> concat(List<String> a, Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static String namespace(Pod pod) {
        String ns = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /** The kubelet's format.Pod: name_namespace(uid). */
    private static String podRef(Pod pod) {
        var m = pod.getMetadata();
        return m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")";
    }
}
