package io.latchkey.production;

import java.util.List;

import org.springframework.core.env.Environment;

import io.latchkey.client.WeakClientSecret;

/** Production refuses a declared client whose secret could be guessed (see {@link WeakClientSecret}). */
final class StrongClientSecretsRule implements ProductionRule {

    @Override
    public List<String> problems(Environment environment) {
        return WeakClientSecret.problems(environment);
    }
}
