package io.latchkey.config;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** YAML or JSON: how a {@link ConfigurationDocument} is written, and read into a tree to be checked. */
public enum DocumentFormat {

    YAML("application/yaml", "yaml"),
    JSON("application/json", "json");

    /** Deep enough for the document (four levels), shallow enough that nesting cannot exhaust the stack. */
    private static final int MAX_NESTING = 16;

    private final String mediaType;
    private final String extension;

    DocumentFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** The format of this name ({@code yaml}, {@code yml}, {@code json}, any case); null for any other. */
    public static DocumentFormat named(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "yaml", "yml" -> YAML;
            case "json" -> JSON;
            default -> null;
        };
    }

    /** The format of a request's Content-Type ({@code application/yaml}, {@code text/yaml}, {@code application/json}...). */
    public static DocumentFormat ofContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json")) {
            return JSON;
        }
        if (type.equals("application/yaml") || type.equals("application/x-yaml") || type.equals("text/yaml")
                || type.equals("text/x-yaml") || type.endsWith("+yaml")) {
            return YAML;
        }
        return null;
    }

    String write(ConfigurationDocument document) {
        return mapper().writeValueAsString(document);
    }

    /** The document as a tree; a text that is not YAML or JSON at all is refused with where it went wrong. */
    JsonNode parse(byte[] text) {
        try {
            JsonNode tree = mapper().readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new DocumentRefused(List.of(new DocumentProblem("", "the document is empty")));
            }
            return tree;
        }
        catch (JacksonException malformed) {
            TokenStreamLocation where = malformed.getLocation();
            String at = where == null || where.getLineNr() < 1 ? ""
                    : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            throw new DocumentRefused(List.of(new DocumentProblem("", "not valid " + name() + at)));
        }
    }

    private ObjectMapper mapper() {
        return this == YAML ? Mappers.YAML : Mappers.JSON;
    }

    private static final class Mappers {

        static final ObjectMapper JSON = configure(JsonMapper.builder(
                tools.jackson.core.json.JsonFactory.builder().streamReadConstraints(constraints()).build()));
        static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
                .streamReadConstraints(constraints())
                .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
                .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
                .build()));

        private static StreamReadConstraints constraints() {
            return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build();
        }

        private static ObjectMapper configure(MapperBuilder<?, ?> builder) {
            return builder.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                    .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();
        }
    }
}
