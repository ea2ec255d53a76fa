package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One checklist section: its items, charts and verdict (the worst of its items'), and what needs
 * a person. A section whose source failed as a whole says so in {@code unavailable}.
 */
record Section(
        String key, String title, List<Item> items, List<Chart> charts, List<String> actions, String unavailable) {

    Verdict verdict() {
        if (unavailable != null) {
            return Verdict.UNKNOWN;
        }
        return items.stream().map(Item::verdict).reduce(Verdict.OK, Verdict::and);
    }

    static Section unavailable(String key, String title, String why) {
        return new Section(key, title, List.of(), List.of(), List.of(), why);
    }

    /** Collects a section's items and charts; an item at ACT (or a WATCH with a reason) becomes an action. */
    static final class Builder {
        private final String key;
        private final String title;
        private final List<Item> items = new ArrayList<>();
        private final List<Chart> charts = new ArrayList<>();
        private final List<String> actions = new ArrayList<>();

        Builder(String key, String title) {
            this.key = key;
            this.title = title;
        }

        Builder item(Item item) {
            items.add(item);
            return this;
        }

        Builder chart(Chart chart) {
            charts.add(chart);
            return this;
        }

        /** Something a person should do, in the words the summary will use. */
        Builder action(String action) {
            actions.add(action);
            return this;
        }

        Section build() {
            return new Section(key, title, List.copyOf(items), List.copyOf(charts), List.copyOf(actions), null);
        }
    }
}
