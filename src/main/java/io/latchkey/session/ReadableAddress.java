package io.latchkey.session;

import java.util.regex.Pattern;

/**
 * A client IP as a person reads it: an IPv6 address in its short form (RFC 5952: {@code 0:0:0:0:0:0:0:1} is
 * {@code ::1}, leading zeros dropped, the longest run of zero groups written {@code ::}); IPv4 and anything else
 * as it is.
 */
public final class ReadableAddress {

    private static final Pattern FULL_IPV6 = Pattern.compile("[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4}){7}");

    private ReadableAddress() {
    }

    public static String of(String ip) {
        if (ip == null || !FULL_IPV6.matcher(ip).matches()) {
            return ip;
        }
        String[] groups = ip.toLowerCase(java.util.Locale.ROOT).split(":");
        for (int i = 0; i < groups.length; i++) {
            groups[i] = Integer.toHexString(Integer.parseInt(groups[i], 16));
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0" (RFC 5952 section 4.2.2)
        for (int start = 0; start < groups.length; start++) {
            int length = 0;
            while (start + length < groups.length && groups[start + length].equals("0")) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
