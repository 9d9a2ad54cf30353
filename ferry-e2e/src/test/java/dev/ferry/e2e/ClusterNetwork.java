package dev.ferry.e2e;

/**
 * The addresses of one test cluster, all derived from one number so that clusters started one after another or side
 * by side never share an address: pods in 127.N.0.0/16 (N = 160…199), Services in 127.(N-60).0.0/17, the
 * load-balancer pool 127.(N-60).128.0/24 and node addresses 127.(N-60).200.x. Proxies of one machine share ClusterIP
 * and load-balancer sockets (SO_REUSEPORT), so two clusters with one Service range would serve each other's traffic.
 */
record ClusterNetwork(int octet) {

    static ClusterNetwork ofPodCidr(String podCidr) {
        return new ClusterNetwork(Integer.parseInt(podCidr.split("\\.")[1]));
    }

    String podCidr() {
        return "127." + octet + ".0.0/16";
    }

    String serviceCidr() {
        return "127." + (octet - 60) + ".0.0/17";
    }

    String lbPool() {
        return "127." + (octet - 60) + ".128.0/24";
    }

    /** The cluster DNS address: the 10th address of the Service range, as kube-dns's Service gets. */
    String dnsIp() {
        return "127." + (octet - 60) + ".0.10";
    }

    /** The address of the cluster's {@code i}-th node (1 for the node of {@code ferry up}). */
    String nodeIp(int i) {
        return "127." + (octet - 60) + ".200." + i;
    }
}
