package dev.ferry.apiserver.service;

import dev.ferry.api.net.Cidr;
import java.math.BigInteger;
import java.util.List;

/**
 * Cluster-wide Service networking settings.
 *
 * @param serviceCidr              the service IP range (single stack; IPv4 or IPv6), at least 8 addresses
 * @param nodePortMin              first port of the node-port range, inclusive
 * @param nodePortMax              last port of the node-port range, inclusive
 * @param allowedLoopbackCidrs     loopback ranges accepted in external IPs and endpoint addresses
 */
public record ServiceNetworkConfig(String serviceCidr, int nodePortMin, int nodePortMax,
        List<String> allowedLoopbackCidrs) {

    public static final String DEFAULT_SERVICE_CIDR = "127.96.0.0/16";

    public ServiceNetworkConfig {
        Cidr cidr = Cidr.tryParse(serviceCidr);
        if (cidr == null) {
            throw new IllegalArgumentException("invalid service CIDR " + serviceCidr);
        }
        if (cidr.size().compareTo(BigInteger.valueOf(8)) < 0) {
            throw new IllegalArgumentException("the service cluster IP range must be at least 8 IP addresses");
        }
        if (nodePortMin < 1 || nodePortMax > 65535 || nodePortMin > nodePortMax) {
            throw new IllegalArgumentException("invalid node port range " + nodePortMin + "-" + nodePortMax);
        }
        allowedLoopbackCidrs = List.copyOf(allowedLoopbackCidrs);
        allowedLoopbackCidrs.forEach(Cidr::parse);
    }

    /** Ferry's loopback address plan: 127.96.0.0/16, 30000-32767, Ferry's allowed loopback ranges. */
    public static ServiceNetworkConfig defaults() {
        return new ServiceNetworkConfig(DEFAULT_SERVICE_CIDR, 30000, 32767, SpecialIpValidator.FERRY_ALLOWED_CIDRS);
    }

    /** "IPv4" or "IPv6": the family of {@link #serviceCidr()}, the only family configured. */
    public String ipFamily() {
        return Cidr.parse(serviceCidr).isIPv6() ? "IPv6" : "IPv4";
    }

    public SpecialIpValidator specialIpValidator() {
        return SpecialIpValidator.allowing(allowedLoopbackCidrs);
    }
}
