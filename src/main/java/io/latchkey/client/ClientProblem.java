package io.latchkey.client;

/**
 * One thing wrong with a client's settings: the property it is about, in the configuration's spelling
 * ({@code redirect-uris}, {@code grant-types}, {@code client-id}), and a sentence that names it.
 */
public record ClientProblem(String property, String message) {

    /** The problem of a sentence that starts with the property's name. */
    static ClientProblem of(String sentence) {
        int end = 0;
        while (end < sentence.length() && (Character.isLowerCase(sentence.charAt(end)) || sentence.charAt(end) == '-')) {
            end++;
        }
        return new ClientProblem(sentence.substring(0, end), sentence);
    }
}
