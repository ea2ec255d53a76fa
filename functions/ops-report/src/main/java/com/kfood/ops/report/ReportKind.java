package com.kfood.ops.report;

import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Text;
import java.util.Locale;

/** The operations plan's three checklists: each report answers one of them. */
enum ReportKind {
    DAILY,
    WEEKLY,
    MONTHLY;

    static ReportKind parse(String text) {
        for (ReportKind k : values()) {
            if (k.label().equals(text)) {
                return k;
            }
        }
        throw new InvalidEventException(
                "report must be daily, weekly or monthly, not '" + Text.printable(String.valueOf(text), 40) + "'");
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
