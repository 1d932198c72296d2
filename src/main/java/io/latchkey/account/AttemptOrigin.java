package io.latchkey.account;

/**
 * Where a password attempt comes from: the client IP (as {@code HttpServletRequest.getRemoteAddr()} gives it, which
 * the rate limits resolve through trusted proxies) and, for a browser at the hosted pages, its device cookie
 * ({@link TrustedDevices}). API and password-grant clients have no device cookie: they are never trusted devices.
 */
public record AttemptOrigin(String clientIp, String deviceCookie) {

    public static AttemptOrigin untrusted(String clientIp) {
        return new AttemptOrigin(clientIp, null);
    }
}
