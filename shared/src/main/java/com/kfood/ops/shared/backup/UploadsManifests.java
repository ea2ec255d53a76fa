package com.kfood.ops.shared.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the uploads backup keeps a day's manifest in the backup bucket: one layout for the backup
 * that writes it, the restore that reads it and the report that watches it.
 */
public final class UploadsManifests {
    public static final String PREFIX = "uploads/manifests/";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{8})\\.jsonl\\.gz");

    private UploadsManifests() {}

    /** The manifest of the day {@code day} falls in (UTC). */
    public static String key(Instant day) {
        return key(DAY.format(day));
    }

    /** The manifest of {@code yyyymmdd}. */
    public static String key(String yyyymmdd) {
        return PREFIX + yyyymmdd + ".jsonl.gz";
    }

    /** The day ({@code yyyymmdd}) a manifest key names; empty for any other key. */
    public static Optional<String> day(String key) {
        Matcher m = KEY.matcher(key);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
