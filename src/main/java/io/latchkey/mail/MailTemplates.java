package io.latchkey.mail;

import java.util.LinkedHashMap;
import java.util.Map;

import java.util.Set;

import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;

import org.springframework.context.MessageSource;

import io.latchkey.theme.Theme;

/**
 * Renders account mail from the theme: {@code <name>.html} in HTML mode and {@code <name>.txt} in TEXT
 * mode, each read from the configured theme first and from the packaged default theme second, with
 * messages from the application's message bundle in the mail's language.
 *
 * <p>The engine is private to mail on purpose: a template engine or resolver bean would be picked up
 * by (or replace) the one that renders the hosted pages.
 */
class MailTemplates {

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final MessageSource messages;

    MailTemplates(Theme theme, MessageSource messages) {
        this.messages = messages;
        engine.setTemplateEngineMessageSource(messages);
        engine.addTemplateResolver(mail(theme.themeTemplateResolver(), 1));
        engine.addTemplateResolver(mail(theme.defaultTemplateResolver(), 2));
    }

    private static AbstractConfigurableTemplateResolver mail(AbstractConfigurableTemplateResolver resolver, int order) {
        resolver.setResolvablePatterns(Set.of("mail/*"));
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setTextTemplateModePatterns(Set.of("*.txt"));
        resolver.setOrder(order);
        return resolver;
    }

    RenderedMail render(AccountMailMessage message) {
        Map<String, Object> model = new LinkedHashMap<>(message.model());
        // durations are said in words of the mail's language before the templates see them
        model.replaceAll((name, value) -> value instanceof DurationInWords duration
                ? duration.in(messages, message.locale()) : value);
        Context context = new Context(message.locale(), model);
        String html = engine.process(message.template() + ".html", context);
        String text = engine.process(message.template() + ".txt", context);
        String subject = messages.getMessage(message.subjectKey(), null, message.locale())
                .replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]+", " ").strip();
        return new RenderedMail(message.to(), subject, text.strip() + "\n", html, message.locale());
    }
}
