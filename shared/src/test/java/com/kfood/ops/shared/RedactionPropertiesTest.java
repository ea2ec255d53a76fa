package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Each secret and personal form, generated, inside arbitrary text: whatever stands around it, the
 * masked line never holds it (nor a significant part of it), and says what was there.
 */
class RedactionPropertiesTest {
    private static final int MAX = 100_000;

    /** One generated form: its text, what must not survive masking, and the mask it must leave. */
    record Form(String kind, String text, List<String> secret, String label) {}

    @Property(tries = 2000)
    void everySecretOrPersonalFormIsMaskedInsideArbitraryText(
            @ForAll @StringLength(max = 40) String before,
            @ForAll("forms") Form form,
            @ForAll @StringLength(max = 40) String after) {
        // apart from the surrounding text by a space: text glued to a form is part of it
        String masked = Text.masked(before + " " + form.text() + " " + after, MAX);

        for (String secret : form.secret()) {
            assertThat(masked).as("%s: %s", form.kind(), form.text()).doesNotContain(secret);
        }
        assertThat(masked).as("%s: %s", form.kind(), form.text()).contains(form.label());
    }

    @Provide
    Arbitrary<Form> forms() {
        return Arbitraries.oneOf(
                credentials(), connectionUrls(), awsKeys(), jwts(), registrationNumbers(), phones(), mailboxes());
    }

    /**
     * A value without digits (every number is masked anyway, which would hide a missed secret) and
     * with a sign no mask's own label holds.
     */
    private static Arbitrary<String> secrets() {
        return Combinators.combine(
                        Arbitraries.strings()
                                .withChars("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ!#$%*")
                                .ofMinLength(6)
                                .ofMaxLength(24),
                        Arbitraries.of('!', '#', '$', '%', '*'))
                .as((letters, sign) -> letters.substring(0, 3) + sign + letters.substring(3));
    }

    /** {@code prefix} and then between {@code min} and {@code max} of {@code chars}. */
    private static Arbitrary<String> after(String prefix, String chars, int min, int max) {
        return Arbitraries.strings()
                .withChars(chars)
                .ofMinLength(min)
                .ofMaxLength(max)
                .map(s -> prefix + s);
    }

    /** A credential after any key that names one, wherever the word stands in the key. */
    private static Arbitrary<Form> credentials() {
        Arbitrary<String> keys = Arbitraries.of(
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
        return Combinators.combine(keys, secrets())
                .as((key, secret) -> new Form(
                        "credential " + key.strip(),
                        key + (key.startsWith("\"") ? "\"" + secret + "\"" : secret),
                        List.of(secret),
                        "<masked>"));
    }

    private static Arbitrary<Form> connectionUrls() {
        Arbitrary<String> schemes =
                Arbitraries.of("postgres", "postgresql", "redis", "rediss", "jdbc:postgresql", "https", "amqp");
        return Combinators.combine(schemes, secrets())
                .as((scheme, secret) -> new Form(
                        "password in a URL",
                        scheme + "://kfood_app:" + secret + "@db.internal.kfood.example:5432/shorts",
                        List.of(secret),
                        "kfood_app:<masked>@"));
    }

    /** An access key id and a secret key; no long piece of the key survives ("/" and "+" split tokens). */
    private static Arbitrary<Form> awsKeys() {
        Arbitrary<String> ids = Combinators.combine(
                        Arbitraries.of("AKIA", "ASIA"),
                        Arbitraries.strings()
                                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                .ofLength(16))
                .as(String::concat);
        Arbitrary<String> keys = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
                .ofLength(37)
                .map(s -> s.substring(0, 12) + "K7a" + s.substring(12));
        return Combinators.combine(ids, keys).as((id, key) -> {
            List<String> secret = new ArrayList<>(List.of(id, key));
            for (String piece : key.split("[/+]")) {
                if (piece.length() >= 8) {
                    secret.add(piece);
                }
            }
            return new Form("AWS keys", id + " " + key, secret, "<aws-secret>");
        });
    }

    private static Arbitrary<Form> jwts() {
        Arbitrary<String> parts =
                after("eyJ", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 10, 60);
        return Combinators.combine(parts, parts)
                .as((claims, signature) -> new Form(
                        "JWT",
                        "eyJhbGciOiJSUzI1NiJ9." + claims + "." + signature,
                        List.of(claims, signature),
                        "<jwt>"));
    }

    private static Arbitrary<Form> registrationNumbers() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 28),
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(0, 999_999))
                .as((yy, mm, dd, g, rest) -> String.format("%02d%02d%02d-%d%06d", yy, mm, dd, g, rest))
                .map(n -> new Form("resident registration number", n, List.of(n, n.substring(7)), "<rrn>"));
    }

    private static Arbitrary<Form> phones() {
        return Combinators.combine(
                        Arbitraries.of(
                                "010", "011", "016", "019", "02", "031", "051", "070", "+82-10", "+82 10", "+8210"),
                        Arbitraries.of("-", " ", ".", ""),
                        Arbitraries.integers().between(100, 9999),
                        Arbitraries.integers().between(0, 9999))
                .as((prefix, sep, middle, last) -> prefix + sep + middle + sep + String.format("%04d", last))
                .map(phone -> new Form("phone number", phone, List.of(phone), "<phone>"));
    }

    private static Arbitrary<Form> mailboxes() {
        return after("m", "abcdefghijklmnopqrstuvwxyz0123456789._+-", 1, 30)
                .map(box -> new Form("e-mail", box + "@kfood-shorts.example.com", List.of(box + "@"), "<email>"));
    }
}
