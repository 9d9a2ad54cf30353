package dev.ferry.api.net;

import java.math.BigInteger;

/**
 * IP address parsing and formatting without name resolution (never touches DNS, unlike
 * {@link java.net.InetAddress#getByName}). Parsing follows Go's {@code netutils.ParseIPSloppy}, which Kubernetes uses:
 * dotted-quad IPv4 (leading zeros allowed and read as decimal), RFC 4291 IPv6 text with {@code ::} and an optional
 * dotted-quad tail, no zone suffix. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) count as IPv4, as in Go.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    /** The address bytes (4 for IPv4 and IPv4-mapped IPv6, 16 for IPv6), or null if {@code text} is not an IP. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return parseV4(text);
        }
        byte[] v6 = parseV6(text);
        if (v6 == null) {
            return null;
        }
        return isV4Mapped(v6) ? java.util.Arrays.copyOfRange(v6, 12, 16) : v6;
    }

    public static boolean isValid(String text) {
        return parse(text) != null;
    }

    /** True for a valid IPv4 (or IPv4-mapped IPv6) address. */
    public static boolean isIPv4(String text) {
        byte[] b = parse(text);
        return b != null && b.length == 4;
    }

    /** True for a valid IPv6 address that is not IPv4-mapped. */
    public static boolean isIPv6(String text) {
        byte[] b = parse(text);
        return b != null && b.length == 16;
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    /** The canonical form of {@code text}, or null if it is not an IP. */
    public static String canonical(String text) {
        byte[] b = parse(text);
        return b == null ? null : format(b);
    }

    /** The address (4 or 16 bytes) as an unsigned number. */
    public static BigInteger toBigInteger(byte[] address) {
        return new BigInteger(1, address);
    }

    /** The inverse of {@link #toBigInteger}: {@code value} as an address of {@code length} bytes. */
    public static byte[] fromBigInteger(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    public static boolean isUnspecified(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean isLoopback(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 1;
    }

    public static boolean isLinkLocalUnicast(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254;
        }
        return (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    public static boolean isLinkLocalMulticast(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) == 224 && b[1] == 0 && b[2] == 0;
        }
        return (b[0] & 0xff) == 0xff && (b[1] & 0x0f) == 0x02;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                if (value > 255) {
                    return null;
                }
                i++;
            }
            if (i == start) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    private static byte[] parseV6(String s) {
        byte[] out = new byte[16];
        int ellipsis = -1;
        int i = 0;
        int n = s.length();
        if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            i = 2;
            if (i == n) {
                return out;
            }
        }
        int j = 0;
        while (j < 16) {
            int start = i;
            int value = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                value = value * 16 + Character.digit(s.charAt(i), 16);
                i++;
                if (i - start > 4) {
                    return null;
                }
            }
            if (i == start) {
                return null;
            }
            if (i < n && s.charAt(i) == '.') {
                if (ellipsis < 0 && j != 12) {
                    return null;
                }
                if (j + 4 > 16) {
                    return null;
                }
                byte[] v4 = parseV4(s.substring(start));
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, j, 4);
                j += 4;
                i = n;
                break;
            }
            out[j++] = (byte) (value >> 8);
            out[j++] = (byte) value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == n) {
                return null;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = j;
                i++;
                if (i == n) {
                    break;
                }
            }
        }
        if (i != n) {
            return null;
        }
        if (j < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int tail = j - ellipsis;
            System.arraycopy(out, ellipsis, out, 16 - tail, tail);
            java.util.Arrays.fill(out, ellipsis, 16 - tail, (byte) 0);
        } else if (ellipsis >= 0) {
            return null;
        }
        return out;
    }
}
