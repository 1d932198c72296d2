package io.latchkey.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** A real SMTP server (GreenMail) on loopback that the test server sends its mail to. */
public final class TestMailbox {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+");
    private static GreenMail server;

    private TestMailbox() {
    }

    public static synchronized int start(int port) {
        if (server == null) {
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
        return port;
    }

    /** Every message received so far for the address. */
    public static List<MimeMessage> messagesTo(String address) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : server.getReceivedMessages()) {
            try {
                for (Address recipient : message.getAllRecipients()) {
                    if (recipient.toString().equalsIgnoreCase(address)) {
                        found.add(message);
                    }
                }
            }
            catch (MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return found;
    }

    /** Waits for the n-th message to the address (1 = first) and returns it. */
    public static MimeMessage awaitMessage(String address, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            List<MimeMessage> messages = messagesTo(address);
            if (messages.size() >= count) {
                return messages.get(count - 1);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        throw new AssertionError("No message #" + count + " to " + address + " within 15 s");
    }

    /** The first link in the message that starts with the given URL prefix. */
    public static String link(MimeMessage message, String prefix) {
        String body = GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
        Matcher matcher = LINK.matcher(body);
        while (matcher.find()) {
            String url = matcher.group().replace("&amp;", "&");
            if (url.startsWith(prefix)) {
                return url;
            }
        }
        throw new AssertionError("No link starting with " + prefix + " in: " + body);
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        }
        catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String[] recipients(MimeMessage message) {
        try {
            return Arrays.stream(message.getAllRecipients()).map(Address::toString).toArray(String[]::new);
        }
        catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
