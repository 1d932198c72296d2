package io.latchkey.session;

import java.util.Locale;

/**
 * What the account page shows of a browser: its name and operating system, read from the User-Agent header
 * ("Chrome" on "Linux"). Only well-known names come out; anything else is null, so the header's text, which
 * the client chooses, never reaches the page.
 */
record DeviceSummary(String browser, String system) {

    static DeviceSummary of(String userAgent) {
        if (userAgent == null) {
            return new DeviceSummary(null, null);
        }
        String ua = userAgent.length() > 512 ? userAgent.substring(0, 512) : userAgent;
        String lower = ua.toLowerCase(Locale.ROOT);
        return new DeviceSummary(browser(lower), system(lower));
    }

    private static String browser(String ua) {
        if (ua.contains("edg/") || ua.contains("edge/")) {
            return "Edge";
        }
        if (ua.contains("opr/") || ua.contains("opera")) {
            return "Opera";
        }
        if (ua.contains("firefox/") || ua.contains("fxios/")) {
            return "Firefox";
        }
        if (ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/")) {
            return "Chrome";
        }
        if (ua.contains("safari/") && ua.contains("version/")) {
            return "Safari";
        }
        if (ua.startsWith("curl/")) {
            return "curl";
        }
        if (ua.startsWith("java")) {
            return "Java";
        }
        return null;
    }

    private static String system(String ua) {
        if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("ipod")) {
            return "iOS";
        }
        if (ua.contains("android")) {
            return "Android";
        }
        if (ua.contains("windows")) {
            return "Windows";
        }
        if (ua.contains("cros")) {
            return "ChromeOS";
        }
        if (ua.contains("mac os x") || ua.contains("macintosh")) {
            return "macOS";
        }
        if (ua.contains("linux") || ua.contains("x11")) {
            return "Linux";
        }
        return null;
    }
}
