package io.latchkey.production;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link UnsafeProductionSettingsException} into Spring Boot's "APPLICATION FAILED TO START" report: the list of
 * settings to fix and what to do, without a stack trace in the way. Registered in {@code META-INF/spring.factories}.
 */
public final class UnsafeProductionSettingsAnalyzer extends AbstractFailureAnalyzer<UnsafeProductionSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeProductionSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix each setting listed above (see \"Production checklist\" in the README). To try Latchkey out "
                        + "instead, run it in evaluation mode: leave LATCHKEY_MODE unset.",
                cause);
    }
}
