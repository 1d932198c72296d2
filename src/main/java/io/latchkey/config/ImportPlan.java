package io.latchkey.config;

import java.util.List;

/**
 * What an import did, or with {@code dryRun} would do: for each client, role and user of the document, whether it is
 * created, updated (and which properties differ) or unchanged. Nothing outside the document is ever touched.
 */
public record ImportPlan(boolean dryRun, List<Item> items) {

    /** The kinds of item a document holds. */
    public enum Kind { CLIENT, ROLE, USER }

    /** What happens to an item. */
    public enum Action { CREATE, UPDATE, UNCHANGED }

    /**
     * @param name the client id, the role's name, or the user's email
     * @param changed the properties that differ, for an update
     */
    public record Item(Kind kind, String name, Action action, List<String> changed) {
    }

    public long count(Action action) {
        return items.stream().filter(item -> item.action() == action).count();
    }

    /** One line per item, then the totals: what the command line prints. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Item item : items) {
            text.append(String.format("%-9s %-6s %s", item.action().name().toLowerCase(java.util.Locale.ROOT),
                    item.kind().name().toLowerCase(java.util.Locale.ROOT), item.name()));
            if (!item.changed().isEmpty()) {
                text.append(" (").append(String.join(", ", item.changed())).append(')');
            }
            text.append(System.lineSeparator());
        }
        text.append(dryRun ? "Dry run, nothing changed: " : "Imported: ").append(count(Action.CREATE))
                .append(" to create, ").append(count(Action.UPDATE)).append(" to update, ")
                .append(count(Action.UNCHANGED)).append(" unchanged").append(System.lineSeparator());
        return dryRun ? text.toString() : text.toString().replace(" to create, ", " created, ")
                .replace(" to update, ", " updated, ");
    }
}
