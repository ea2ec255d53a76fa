package com.kfood.ops.shared;

import java.util.List;

/** {@code DB_SSLMODE}: how a function's PostgreSQL connection is secured; verify-full unless told. */
public final class DbSsl {
    /** What the template allows; prefer and allow are left out (they fall back to plain text). */
    static final List<String> MODES = List.of("disable", "require", "verify-ca", "verify-full");

    private DbSsl() {}

    /**
     * The mode: {@code verify-full} (the RDS CAs the function ships, and the server's name) unless
     * the stack says otherwise; {@code require} encrypts but accepts any certificate, and the
     * template accepts it only outside prod.
     */
    public static String mode(Env env) {
        String mode = env.string("DB_SSLMODE", "verify-full");
        if (!MODES.contains(mode)) {
            throw new ConfigException("DB_SSLMODE must be one of " + String.join(", ", MODES) + "; got '"
                    + Text.printable(mode, 40) + "'");
        }
        return mode;
    }
}
