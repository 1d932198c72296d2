package io.latchkey.production;

import java.util.List;

/** Production mode found unsafe settings; the message lists each one with the setting to fix. */
public final class UnsafeProductionSettingsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    UnsafeProductionSettingsException(List<String> problems) {
        super("Latchkey runs in production mode (latchkey.mode=production) and refuses to start with these settings:\n"
                + "  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per unsafe setting, each naming the setting. */
    public List<String> problems() {
        return problems;
    }
}
