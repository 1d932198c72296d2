package io.latchkey.production;

import java.util.List;

import org.springframework.core.env.Environment;

/** One thing production mode insists on. */
interface ProductionRule {

    /** What is unsafe about the settings, one sentence each naming the setting to fix; empty when all is well. */
    List<String> problems(Environment environment);
}
