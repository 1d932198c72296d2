package io.latchkey.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.openqa.selenium.JavascriptExecutor;

/**
 * Runs axe-core, Deque's accessibility rules engine, on the page a browser has open and returns what it finds. The
 * script is a test resource ({@code src/test/resources/axe/}, see its README for the version), so no test
 * downloads anything. WebDriver runs it through DevTools, which the page's Content-Security-Policy (no inline
 * scripts) does not govern.
 */
public final class AxeCore {

    /** The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the hosted pages promise. */
    public static final List<String> WCAG_22_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    private static final String SOURCE = resource("/axe/axe.min.js");

    /*
     * Only what a failure message needs comes back over WebDriver: the full result of a page is a few hundred KB.
     */
    private static final String RUN = """
            const tags = arguments[0];
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
                .then(result => done(result.violations.map(v => ({
                    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' '))
                }))))
                .catch(error => done([{ id: 'axe-error', impact: '', help: String(error), helpUrl: '', nodes: [] }]));
            """;

    /** One rule the page breaks, with every element that breaks it (CSS selector :: axe's summary of the fix). */
    public record Violation(String id, String impact, String help, String helpUrl, List<String> nodes) {

        @Override
        public String toString() {
            return id + " (" + impact + "): " + help + " <" + helpUrl + ">"
                    + nodes.stream().map(node -> "\n    " + node).collect(Collectors.joining());
        }
    }

    private AxeCore() {
    }

    /** The violations of the rules with these tags (e.g. {@link #WCAG_22_A_AA}) on the page open in the browser. */
    @SuppressWarnings("unchecked")
    public static List<Violation> violations(JavascriptExecutor browser, List<String> tags) {
        if (!Boolean.TRUE.equals(browser.executeScript("return typeof window.axe === 'object'"))) {
            browser.executeScript(SOURCE);
        }
        List<Map<String, Object>> found = (List<Map<String, Object>>) browser.executeAsyncScript(RUN, tags);
        return found.stream().map(v -> new Violation((String) v.get("id"), (String) v.get("impact"),
                (String) v.get("help"), (String) v.get("helpUrl"), (List<String>) v.get("nodes"))).toList();
    }

    /** The violations one to a paragraph, for an assertion message. */
    public static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    }

    private static String resource(String name) {
        try (InputStream in = AxeCore.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
