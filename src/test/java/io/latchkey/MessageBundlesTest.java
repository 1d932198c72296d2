package io.latchkey;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every translation has every key of the default bundle, and no key of its own. */
class MessageBundlesTest {

    @Test
    void germanTranslatesEveryKey() throws IOException {
        Properties english = load("messages.properties");
        Properties german = load("messages_de.properties");
        assertThat(german.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
        for (String key : german.stringPropertyNames()) {
            assertThat(german.getProperty(key)).as(key).isNotBlank();
            if (english.getProperty(key).contains("{0")) {
                // messages with arguments go through MessageFormat: the pattern must parse
                new MessageFormat(german.getProperty(key), Locale.GERMAN).format(new Object[] { 1, 2 });
            }
        }
    }

    private static Properties load(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(MessageBundlesTest.class.getResourceAsStream("/" + name),
                StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
