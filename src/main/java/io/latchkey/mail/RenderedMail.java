package io.latchkey.mail;

import java.util.Locale;

/** A mail ready to go: subject and both bodies rendered in the recipient's language. */
record RenderedMail(String to, String subject, String text, String html, Locale locale) {
}
