package com.kfood.ops.snapshot;

import java.util.Comparator;

/**
 * S3's order of keys: UTF-8 binary, which is the order of their code points. Java's
 * {@code String.compareTo} orders UTF-16 units, which differs for characters past U+FFFF against
 * those from U+E000; the listing and the manifests are merged in S3's order, so both use this.
 */
final class KeyOrder {
    static final Comparator<String> S3 = KeyOrder::compare;

    private KeyOrder() {}

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
