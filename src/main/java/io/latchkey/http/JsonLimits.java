package io.latchkey.http;

import java.util.List;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits on the JSON the server reads, far below Jackson's defaults (strings of 100 million characters,
 * 500 levels of nesting, documents of any length) and far above anything a Latchkey request needs. Spring
 * Boot builds the application's {@link JsonMapper}, which reads every JSON request body, from this builder:
 * the limits live in the parser factory, which a {@link JsonMapperBuilderCustomizer} cannot replace, so the
 * builder is made here and Boot's customizers (the {@code spring.jackson.*} settings, problem details) are
 * applied to it as Boot would. A body over a limit is a 400 problem.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimits {

    /** The longest JSON string: a password is at most 1,000 characters, a name 200. */
    static final int MAX_STRING_LENGTH = 10_000;
    static final int MAX_NAME_LENGTH = 256;
    /** Request bodies are flat objects, with a list at most. */
    static final int MAX_NESTING_DEPTH = 16;
    static final int MAX_NUMBER_LENGTH = 100;
    static final long MAX_TOKEN_COUNT = 10_000;

    @Bean
    @Scope("prototype")
    JsonMapper.Builder jsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers, HttpLimitsProperties limits) {
        JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(constraints(limits.maxRequestBody().toBytes()))
                .build());
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder;
    }

    static StreamReadConstraints constraints(long maxDocumentLength) {
        return StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxTokenCount(MAX_TOKEN_COUNT)
                .maxDocumentLength(maxDocumentLength)
                .build();
    }
}
