package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Each secret and personal form, generated, inside arbitrary text: whatever stands around it, the
 * masked line never holds it (nor its significant part).
 */
class RedactionPropertiesTest {
    private static final int MAX = 100_000;

    /**
     * A value without digits (every number is masked anyway, which would hide a missed secret) and
     * with a sign no mask's own label holds.
     */
    @Provide
    Arbitrary<String> secrets() {
        return Combinators.combine(
                        Arbitraries.strings()
                                .withChars("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ!#$%*")
                                .ofMinLength(6)
                                .ofMaxLength(24),
                        Arbitraries.of('!', '#', '$', '%', '*'))
                .as((letters, sign) -> letters.substring(0, 3) + sign + letters.substring(3));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(
                "DB_PASSWORD=",
                "PGPASSWORD=",
                "access_token=",
                "client_secret=",
                "aws_secret_access_key=",
                "AWS_SECRET_ACCESS_KEY = ",
                "\"password\": ",
                "refreshToken:",
                "x-api-key: ",
                "Authorization: Bearer ",
                "password ");
    }

    /** Arbitrary text around the form, apart from it by a space (text glued to it is part of it). */
    private static String around(String before, String form, String after) {
        return before + " " + form + " " + after;
    }

    @Property(tries = 300)
    void aCredentialAfterAnyKeyThatNamesOneIsMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("keys") String key,
            @ForAll("secrets") String secret,
            @ForAll @StringLength(max = 40) String after) {
        String value = key.startsWith("\"") ? "\"" + secret + "\"" : secret;
        String masked = Text.masked(around(before, key + value, after), MAX);
        assertThat(masked).doesNotContain(secret);
    }

    @Property(tries = 200)
    void aPasswordInAConnectionUrlIsMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("secrets") String secret,
            @ForAll("schemes") String scheme,
            @ForAll @StringLength(max = 40) String after) {
        String url = scheme + "://kfood_app:" + secret + "@db.internal.kfood.example:5432/shorts";
        assertThat(Text.masked(around(before, url, after), MAX))
                .doesNotContain(secret)
                .contains("kfood_app:<masked>@");
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("postgres", "postgresql", "redis", "rediss", "jdbc:postgresql", "https", "amqp");
    }

    @Property(tries = 200)
    void awsAccessKeyIdsAndSecretKeysAreMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("keyIds") String keyId,
            @ForAll("secretKeys") String secretKey,
            @ForAll @StringLength(max = 40) String after) {
        String masked = Text.masked(around(before, keyId + " " + secretKey, after), MAX);
        assertThat(masked).doesNotContain(keyId).doesNotContain(secretKey);
        // no long piece of the secret key survives either (it holds "/" and "+", which split tokens)
        for (String piece : secretKey.split("[/+]")) {
            if (piece.length() >= 8) {
                assertThat(masked).doesNotContain(piece);
            }
        }
    }

    @Provide
    Arbitrary<String> keyIds() {
        return Combinators.combine(
                        Arbitraries.of("AKIA", "ASIA"),
                        Arbitraries.strings()
                                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                .ofLength(16))
                .as(String::concat);
    }

    @Provide
    Arbitrary<String> secretKeys() {
        return Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
                .ofLength(37)
                .map(s -> s.substring(0, 12) + "K7a" + s.substring(12));
    }

    @Property(tries = 200)
    void jwtsAreMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("base64url") String claims,
            @ForAll("base64url") String signature,
            @ForAll @StringLength(max = 40) String after) {
        String jwt = "eyJhbGciOiJSUzI1NiJ9." + claims + "." + signature;
        String masked = Text.masked(around(before, jwt, after), MAX);
        assertThat(masked).doesNotContain(claims).doesNotContain(signature);
    }

    @Provide
    Arbitrary<String> base64url() {
        return Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                .ofMinLength(10)
                .ofMaxLength(60)
                .map(s -> "eyJ" + s);
    }

    @Property(tries = 200)
    void residentRegistrationNumbersAreMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("registrationNumbers") String number,
            @ForAll @StringLength(max = 40) String after) {
        String masked = Text.masked(around(before, number, after), MAX);
        assertThat(masked)
                .doesNotContain(number)
                .doesNotContain(number.substring(7))
                .contains("<rrn>");
    }

    @Provide
    Arbitrary<String> registrationNumbers() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 28),
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(0, 999_999))
                .as((yy, mm, dd, g, rest) -> String.format("%02d%02d%02d-%d%06d", yy, mm, dd, g, rest));
    }

    @Property(tries = 200)
    void phoneNumbersAreMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("phones") String phone,
            @ForAll @StringLength(max = 40) String after) {
        String masked = Text.masked(around(before, phone, after), MAX);
        assertThat(masked).doesNotContain(phone).contains("<phone>");
    }

    @Provide
    Arbitrary<String> phones() {
        return Combinators.combine(
                        Arbitraries.of(
                                "010", "011", "016", "019", "02", "031", "051", "070", "+82-10", "+82 10", "+8210"),
                        Arbitraries.of("-", " ", ".", ""),
                        Arbitraries.integers().between(100, 9999),
                        Arbitraries.integers().between(0, 9999))
                .as((prefix, sep, middle, last) -> prefix + sep + middle + sep + String.format("%04d", last));
    }

    @Property(tries = 200)
    void eMailAddressesAreMasked(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("mailboxes") String mailbox,
            @ForAll @StringLength(max = 40) String after) {
        String address = mailbox + "@kfood-shorts.example.com";
        assertThat(Text.masked(around(before, address, after), MAX)).doesNotContain(mailbox + "@");
    }

    @Provide
    Arbitrary<String> mailboxes() {
        return Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789._+-")
                .ofMinLength(1)
                .ofMaxLength(30)
                .map(s -> "m" + s);
    }
}
