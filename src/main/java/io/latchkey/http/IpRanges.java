package io.latchkey.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** A list of IP addresses and CIDR ranges (IPv4 and IPv6). Parses literals only: never a DNS lookup. */
public final class IpRanges {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final List<Range> ranges;

    private IpRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}; anything else stops start-up. */
    public static IpRanges parse(List<String> entries, String property) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            byte[] address = parseAddress(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException(property + ": not an IP address or CIDR range: " + entry);
            }
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                }
                catch (NumberFormatException ex) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException(property + ": bad prefix length in " + entry);
                }
            }
            ranges.add(new Range(address, prefix));
        }
        return new IpRanges(List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(String address) {
        byte[] bytes = parseAddress(address);
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /** The address in canonical form, or null when the text is not an IP literal. */
    static String canonical(String text) {
        byte[] bytes = parseAddress(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        }
        catch (UnknownHostException ex) {
            return null;
        }
    }

    /**
     * What a per-IP limit counts: the canonical IPv4 address, or the /64 network of an IPv6 address (one
     * subscriber usually gets a whole /64, so counting single addresses would give each attacker billions of
     * buckets). IPv4-mapped IPv6 addresses count as their IPv4 address. Anything else counts as itself.
     */
    public static String bucketKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        byte[] bytes = parseAddress(address);
        if (bytes == null) {
            return address;
        }
        if (bytes.length == 16) {
            Arrays.fill(bytes, 8, 16, (byte) 0);
        }
        try {
            String canonical = InetAddress.getByAddress(bytes).getHostAddress();
            return bytes.length == 16 ? canonical + "/64" : canonical;
        }
        catch (UnknownHostException ex) {
            return address;
        }
    }

    /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or null. Only literal characters reach InetAddress. */
    static byte[] parseAddress(String text) {
        if (text == null) {
            return null;
        }
        String literal = text.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        if (!LITERAL.matcher(literal).matches()) {
            return null;
        }
        if (literal.indexOf(':') < 0) {
            return parseIpv4(literal);
        }
        try {
            // with a ':' in it, InetAddress parses an IPv6 literal or fails; it never asks DNS
            return InetAddress.getByName(literal).getAddress();
        }
        catch (UnknownHostException | RuntimeException ex) {
            return null;
        }
    }

    private static byte[] parseIpv4(String literal) {
        if (!IPV4.matcher(literal).matches()) {
            return null;
        }
        String[] parts = literal.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        return bytes;
    }

    private record Range(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
