package io.latchkey.production;

import java.util.List;

import org.springframework.core.env.Environment;

import io.latchkey.keys.MasterKey;

/**
 * Production is given its master key. Evaluation mode generates one next to the database, where a copy of the
 * data directory takes the key along with what it protects.
 */
final class GeneratedMasterKeyRule implements ProductionRule {

    @Override
    public List<String> problems(Environment environment) {
        return MasterKey.problemWith(environment.getProperty("latchkey.master-key")).stream().toList();
    }
}
