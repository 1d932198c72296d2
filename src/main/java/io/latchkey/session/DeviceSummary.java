package io.latchkey.session;

/**
 * What the account page shows of a browser: its name and operating system ("Chrome" on "Linux"), as
 * {@link UserAgents} reads them from the User-Agent header. Either is null when unknown.
 */
public record DeviceSummary(String browser, String system) {

    static final DeviceSummary UNKNOWN = new DeviceSummary(null, null);
}
