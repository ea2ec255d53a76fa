package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** Secrets judged by their rotation, read with DescribeSecret only. */
class SecretRotationTest {
    static final Instant NOW = ImageFindingsTest.NOW;
    static final String DB = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:kfood/prod/db";

    private final FakeUpkeep upkeep = new FakeUpkeep();

    private List<Item> items(String... ids) {
        UpkeepLimits limits =
                Fakes.config("PLATFORM_SECRET_ARNS", String.join(",", ids)).upkeep();
        return new SecretRotation(upkeep, limits, NOW).items();
    }

    private void answer(String id, DescribeSecretResponse.Builder secret) {
        upkeep.secrets.put(
                id, () -> secret.name(id.substring(id.lastIndexOf(':') + 1)).build());
    }

    @Test
    void aSecretNeverRotatedIsWatch() {
        answer(DB, DescribeSecretResponse.builder().versionIdsToStages(Map.of("v1", List.of("AWSCURRENT"))));

        Item item = items(DB).getFirst();

        assertThat(item.label()).isEqualTo("secret kfood/prod/db");
        assertThat(item.value()).isEqualTo("rotation off, never rotated");
        assertThat(item.verdict()).isEqualTo(Verdict.WATCH);
        assertThat(upkeep.calls).containsExactly("secret " + DB);
    }

    @Test
    void aRotationLeftInAwsPendingIsSaidAsUnfinished() {
        answer(
                DB,
                DescribeSecretResponse.builder()
                        .rotationEnabled(true)
                        .lastRotatedDate(NOW.minus(Duration.ofDays(31)))
                        .versionIdsToStages(Map.of("v1", List.of("AWSCURRENT"), "v2", List.of("AWSPENDING"))));

        Item item = items(DB).getFirst();

        assertThat(item.verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item.value()).startsWith("the last rotation did not finish").endsWith("last completed 31 days ago");
        assertThat(item.numbers().get("rotationUnfinished").asBoolean()).isTrue();
    }

    @Test
    void theLastRotationIsJudgedAgainstTheLimit() {
        answer(
                DB,
                DescribeSecretResponse.builder()
                        .rotationEnabled(true)
                        .lastRotatedDate(NOW.minus(Duration.ofDays(90)))
                        .nextRotationDate(NOW.plus(Duration.ofDays(1)))
                        .versionIdsToStages(Map.of("v1", List.of("AWSCURRENT"), "v0", List.of("AWSPREVIOUS"))));
        Item ninety = items(DB).getFirst();
        assertThat(ninety.verdict()).isEqualTo(Verdict.OK);
        assertThat(ninety.value()).isEqualTo("rotation on, last rotated 90 days ago; next 2026-12-08");

        answer(
                DB,
                DescribeSecretResponse.builder()
                        .rotationEnabled(true)
                        .lastRotatedDate(NOW.minus(Duration.ofDays(91)))
                        .versionIdsToStages(Map.of("v1", List.of("AWSCURRENT"))));
        assertThat(items(DB).getFirst().verdict()).isEqualTo(Verdict.WATCH);
    }

    @Test
    void anUnreadableSecretIsNotAvailableAndTheOthersStand() {
        String redis = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:kfood/prod/redis";
        upkeep.secrets.put(DB, () -> {
            throw SecretsManagerException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("AccessDeniedException")
                            .serviceName("SecretsManager")
                            .build())
                    .build();
        });
        answer(redis, DescribeSecretResponse.builder().rotationEnabled(true).lastRotatedDate(NOW));

        List<Item> items = items(DB, redis);

        assertThat(items.get(0).value()).isEqualTo("not available: SecretsManager answered AccessDeniedException");
        assertThat(items.get(1).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void withoutSecretsConfiguredItSaysSo() {
        assertThat(new SecretRotation(upkeep, Fakes.config().upkeep(), NOW).items())
                .singleElement()
                .satisfies(i -> assertThat(i.value()).contains("PLATFORM_SECRET_ARNS is empty"));
        assertThat(upkeep.calls).isEmpty();
    }
}
