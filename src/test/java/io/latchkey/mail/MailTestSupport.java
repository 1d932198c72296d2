package io.latchkey.mail;

import java.nio.file.Path;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;

import io.latchkey.theme.Theme;

/** Builds the mail beans as the application does, without a Spring context. */
final class MailTestSupport {

    private MailTestSupport() {
    }

    /** The application's bundle, configured as application.yml configures it. */
    static MessageSource messages() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }

    static MailTemplates templates(Path themesDir, String theme) {
        return new MailTemplates(new Theme(themesDir.toString(), theme), messages());
    }
}
