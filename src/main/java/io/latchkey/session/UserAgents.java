package io.latchkey.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import ua_parser.OS;
import ua_parser.Parser;
import ua_parser.UserAgent;

/**
 * Names a browser and its operating system from a User-Agent header with the ua-parser library (uap-java and the
 * uap-core rules it ships), never with rules of our own. The parser is built once, on first use (it compiles about
 * a thousand patterns: about 1.5 MB of heap, see docs/sessions.md), and the last {@value #CACHED} distinct headers'
 * results are kept, so a sign-in or an account page view rarely parses at all. A header is cut to
 * {@value #LONGEST_HEADER} characters first (the patterns then run on bounded input), and names are cut to
 * {@value #LONGEST_NAME} (some patterns copy text from the header, which the client chooses).
 */
@Component
public class UserAgents {

    static final int CACHED = 1000;
    static final int LONGEST_HEADER = 512;
    static final int LONGEST_NAME = 40;
    private static final String UNKNOWN = "Other";

    private final Map<String, DeviceSummary> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, DeviceSummary> eldest) {
                    return size() > CACHED;
                }
            });
    private volatile Parser parser;

    /** The browser and system the header names; both null for no header or one the rules do not know. */
    public DeviceSummary describe(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return DeviceSummary.UNKNOWN;
        }
        String header = userAgent.length() > LONGEST_HEADER ? userAgent.substring(0, LONGEST_HEADER) : userAgent;
        DeviceSummary cached = cache.get(header);
        if (cached != null) {
            return cached;
        }
        Parser rules = parser();
        UserAgent agent = rules.parseUserAgent(header);
        OS os = rules.parseOS(header);
        DeviceSummary summary = new DeviceSummary(name(agent.family), systemName(os.family));
        cache.put(header, summary);
        return summary;
    }

    int cached() {
        return cache.size();
    }

    private Parser parser() {
        Parser rules = parser;
        if (rules == null) {
            synchronized (this) {
                rules = parser;
                if (rules == null) {
                    rules = new Parser();
                    parser = rules;
                }
            }
        }
        return rules;
    }

    private static String systemName(String family) {
        // the rules still call it by its old name
        return "Mac OS X".equals(family) ? "macOS" : name(family);
    }

    private static String name(String family) {
        if (family == null || family.isBlank() || UNKNOWN.equals(family)) {
            return null;
        }
        String name = family.replaceAll("\\p{Cntrl}", "").strip();
        return name.length() > LONGEST_NAME ? name.substring(0, LONGEST_NAME) : name;
    }
}
