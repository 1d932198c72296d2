package io.latchkey.production;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.latchkey.runtime.RuntimeMode;

/**
 * In production mode, checks every {@link ProductionRule} before the first bean is made and stops the start with all
 * the problems in one message ({@link UnsafeProductionSettingsException}), so an operator fixes them in one go rather
 * than one per restart, and before evaluation mode's conveniences (a generated master key, an H2 file) could kick in.
 * It runs as a bean factory post-processor because by then every property source is in place, those that
 * application context initializers add included, and no bean has read a setting yet.
 */
@Component
class ProductionStartupCheck implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

    private static final Logger log = LoggerFactory.getLogger(ProductionStartupCheck.class);

    static final List<ProductionRule> RULES = List.of(new EmbeddedDatabaseRule(), new GeneratedMasterKeyRule(),
            new SmtpServerRule(), new HttpsIssuerRule(), new StrongClientSecretsRule(), new HostOnlySessionCookieRule());

    private ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!new RuntimeMode(environment).isProduction()) {
            return;
        }
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new UnsafeProductionSettingsException(problems);
        }
        ProductionDefaults.addTo(environment);
        log.info("Production mode: PostgreSQL, a configured master key, SMTP, an https issuer and strong client "
                + "secrets checked; HSTS and __Host- cookies on");
    }

    static List<String> problems(Environment environment) {
        return RULES.stream().flatMap(rule -> rule.problems(environment).stream()).toList();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
