package io.latchkey.config;

/**
 * One thing wrong with a document, where it is: {@code clients[2].redirect-uris[0]}, {@code roles[0].permissions},
 * or {@code ""} for the document as a whole (not YAML or JSON at all).
 */
public record DocumentProblem(String path, String message) {
}
