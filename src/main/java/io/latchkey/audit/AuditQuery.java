package io.latchkey.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A filter of the audit trail; every part optional, all parts must match.
 *
 * @param user a user id: matches the events about the user ({@code user_id}) and those the user did (the detail
 *        {@code actor})
 * @param client a client id: matches the subject {@code client:<id>} (or the bare id, as older events have it) and
 *        the detail {@code client}
 * @param types any of these types; empty for all
 * @param from events at or after this time
 * @param to events before this time
 */
public record AuditQuery(UUID user, String client, Set<AuditEventType> types, Instant from, Instant to) {

    public static final int MAX_CLIENT_LENGTH = 200;
    private static final int MAX_INPUT_LENGTH = 64;
    private static final int MAX_TYPES = AuditEventType.values().length;
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+");

    public AuditQuery {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(types);
    }

    public static AuditQuery all() {
        return new AuditQuery(null, null, Set.of(), null, null);
    }

    /**
     * Reads a filter as typed into the console's form or the API's query: a user id, a client id, type names (each
     * entry may hold several, separated by commas), and times as an instant ({@code 2026-11-30T08:00:00Z}), a
     * date-time with an offset, a local date-time or a date (both taken as UTC; a date as its start). Blank is
     * "any".
     *
     * @throws InvalidAuditQuery saying which part is wrong
     */
    public static AuditQuery parse(String user, String client, List<String> types, String from, String to) {
        Instant start = time("from", from);
        Instant end = time("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new InvalidAuditQuery("to", "admin.audit.error.range", "'to' must be after 'from'");
        }
        return new AuditQuery(userId(user), clientId(client), types(types), start, end);
    }

    /** A short, plain description of the filter, for the audit record of an export. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (user != null) {
            text.append("user=").append(user).append(' ');
        }
        if (client != null) {
            text.append("client=").append(client).append(' ');
        }
        if (!types.isEmpty()) {
            text.append("type=").append(String.join(",", types.stream().map(Enum::name).sorted().toList())).append(' ');
        }
        if (from != null) {
            text.append("from=").append(from).append(' ');
        }
        if (to != null) {
            text.append("to=").append(to);
        }
        return text.isEmpty() ? "all" : text.toString().strip();
    }

    private static UUID userId(String value) {
        if (isBlank(value)) {
            return null;
        }
        try {
            if (value.strip().length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value.strip());
        }
        catch (IllegalArgumentException notAUuid) {
            throw new InvalidAuditQuery("user", "admin.audit.error.user", "'user' must be a user id (a UUID)");
        }
    }

    private static String clientId(String value) {
        if (isBlank(value)) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > MAX_CLIENT_LENGTH || !PRINTABLE.matcher(stripped).matches()) {
            throw new InvalidAuditQuery("client", "admin.audit.error.client",
                    "'client' must be a client id of at most " + MAX_CLIENT_LENGTH + " printable characters");
        }
        return stripped;
    }

    private static Set<AuditEventType> types(List<String> values) {
        if (values == null) {
            return Set.of();
        }
        Set<AuditEventType> types = EnumSet.noneOf(AuditEventType.class);
        int count = 0;
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String name : value.split(",", -1)) {
                if (name.isBlank()) {
                    continue;
                }
                if (++count > MAX_TYPES || name.length() > MAX_INPUT_LENGTH) {
                    throw new InvalidAuditQuery("type", "admin.audit.error.type", "'type' names too many types");
                }
                try {
                    types.add(AuditEventType.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                }
                catch (IllegalArgumentException unknown) {
                    throw new InvalidAuditQuery("type", "admin.audit.error.type",
                            "'type' must name audit event types, such as LOGIN_FAILED");
                }
            }
        }
        return types;
    }

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static Instant time(String field, String value) {
        if (isBlank(value)) {
            return null;
        }
        Instant parsed = parseTime(field, value.strip());
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw new InvalidAuditQuery(field, "admin.audit.error.time", "'" + field
                    + "' must be between 1970 and 9999");
        }
        return parsed;
    }

    private static Instant parseTime(String field, String text) {
        if (text.length() <= MAX_INPUT_LENGTH) {
            try {
                return Instant.parse(text);
            }
            catch (DateTimeParseException notAnInstant) {
                // try the other forms
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            }
            catch (DateTimeParseException notWithAnOffset) {
                // try the other forms
            }
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
            catch (DateTimeParseException notLocal) {
                // try the other forms
            }
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            catch (DateTimeParseException notADate) {
                // refused below
            }
        }
        throw new InvalidAuditQuery(field, "admin.audit.error.time", "'" + field
                + "' must be a time such as 2026-11-30T08:00:00Z or a date such as 2026-11-30 (UTC)");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
