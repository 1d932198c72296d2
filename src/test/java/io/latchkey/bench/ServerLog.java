package io.latchkey.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the server complained about in its log during the run: WARN and ERROR lines, grouped by message. */
final class ServerLog {

    private static final int MAX_DISTINCT = 8;
    // Spring Boot's console format: timestamp, level, pid, ---, [app] [thread], logger : message
    private static final Pattern LINE = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s+\\d+\\s+---\\s+.*?\\]\\s+(\\S+)\\s+:\\s+(.*)$");

    private ServerLog() {
    }

    static Summary read(Path log) throws IOException {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        int errors = 0;
        int warnings = 0;
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            if (matcher.group(1).equals("ERROR")) {
                errors++;
            }
            else {
                warnings++;
            }
            // ids in messages (authorization ids, clients) vary; group by the message without them
            String message = matcher.group(1) + " " + matcher.group(2) + ": "
                    + matcher.group(3).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>");
            if (message.length() > 240) {
                message = message.substring(0, 240) + "...";
            }
            if (distinct.containsKey(message) || distinct.size() < MAX_DISTINCT) {
                distinct.merge(message, 1, Integer::sum);
            }
        }
        return new Summary(errors, warnings, distinct);
    }

    record Summary(int errors, int warnings, Map<String, Integer> distinct) {
    }
}
