package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.UpdateAction;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/** The caches' service updates, the Fargate platform and the runtime's deprecation. */
class PlatformUpdatesTest {
    static final Instant NOW = ImageFindingsTest.NOW;

    private final FakeUpkeep upkeep = new FakeUpkeep();

    private PlatformUpdates updates(String... config) {
        return new PlatformUpdates(upkeep, Fakes.config(config).upkeep(), NOW);
    }

    private static UpdateAction action(String severity, Duration applyBy) {
        return UpdateAction.builder()
                .serviceUpdateName("elasticache-20261201-001")
                .cacheClusterId("kfood-redis-001")
                .serviceUpdateSeverity(severity)
                .updateActionStatus("not-applied")
                .serviceUpdateRecommendedApplyByDate(NOW.plus(applyBy))
                .build();
    }

    @Test
    void aCriticalUpdateDueWithinTwoWeeksActsALaterOneIsWatch() {
        upkeep.updates = () -> List.of(action("critical", Duration.ofDays(13)));
        Item soon = updates().cacheUpdates(List.of("kfood-redis-001"));
        assertThat(soon.verdict()).isEqualTo(Verdict.ACT);
        assertThat(soon.value())
                .isEqualTo(
                        "1 pending: elasticache-20261201-001 on kfood-redis-001 (critical, not-applied, apply by 2026-12-20)");

        upkeep.updates = () -> List.of(action("critical", Duration.ofDays(30)));
        assertThat(updates().cacheUpdates(List.of("kfood-redis-001")).verdict()).isEqualTo(Verdict.WATCH);
    }

    @Test
    void updateActionsUnavailableAreSaidAsSuch() {
        upkeep.updates = () -> {
            throw ElastiCacheException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("InvalidAction")
                            .serviceName("ElastiCache")
                            .build())
                    .build();
        };
        assertThat(updates().cacheUpdates(List.of("kfood-redis-001")).value())
                .isEqualTo("not available: ElastiCache answered InvalidAction");
        assertThat(updates().cacheUpdates(List.of()).value()).isEqualTo("not read (CACHE_CLUSTER_IDS is empty)");
    }

    @Test
    void aPinnedPlatformIsWatchLatestIsOk() {
        Task task = Task.builder()
                .platformVersion("1.4.0")
                .startedAt(NOW.minus(Duration.ofDays(12)))
                .build();
        Item latest = updates()
                .platform(new ServiceRun(
                        Service.builder()
                                .serviceName("kfood-backend")
                                .platformVersion("LATEST")
                                .build(),
                        List.of(task)));
        assertThat(latest.verdict()).isEqualTo(Verdict.OK);
        assertThat(latest.value()).isEqualTo("Fargate LATEST, tasks on 1.4.0, the oldest task started 12 days ago");

        Item pinned = updates()
                .platform(new ServiceRun(
                        Service.builder()
                                .serviceName("kfood-backend")
                                .platformVersion("1.3.0")
                                .build(),
                        List.of()));
        assertThat(pinned.verdict()).isEqualTo(Verdict.WATCH);

        Item unreported = updates()
                .platform(new ServiceRun(
                        Service.builder()
                                .serviceName("kfood-backend")
                                .launchType("FARGATE")
                                .build(),
                        List.of()));
        assertThat(unreported.value()).isEqualTo("Fargate (platform version not reported)");
        assertThat(unreported.verdict()).isEqualTo(Verdict.OK);
        Item ec2 = updates()
                .platform(new ServiceRun(
                        Service.builder()
                                .serviceName("kfood-backend")
                                .launchType("EC2")
                                .build(),
                        List.of()));
        assertThat(ec2.value()).isEqualTo("not on Fargate (launch type EC2)");
    }

    @Test
    void theRuntimesDeprecationDateDecides() {
        upkeep.function = () ->
                GetFunctionConfigurationResponse.builder().runtime("java25").build();
        String[] inLambda = {"AWS_LAMBDA_FUNCTION_NAME", "kfood-ops-ops-report"};

        assertThat(updates(inLambda).runtime().value())
                .isEqualTo("java25: no deprecation announced (RuntimeDeprecationDate is empty)");
        assertThat(updates("AWS_LAMBDA_FUNCTION_NAME", "f", "RUNTIME_DEPRECATION_DATE", "2027-06-04")
                        .runtime()
                        .verdict())
                .isEqualTo(Verdict.WATCH); // 179 days
        assertThat(updates("AWS_LAMBDA_FUNCTION_NAME", "f", "RUNTIME_DEPRECATION_DATE", "2027-06-05")
                        .runtime()
                        .verdict())
                .isEqualTo(Verdict.OK); // 180 days
        assertThat(updates("AWS_LAMBDA_FUNCTION_NAME", "f", "RUNTIME_DEPRECATION_DATE", "2026-12-01")
                        .runtime()
                        .value())
                .isEqualTo("java25: deprecated since 2026-12-01");
        assertThat(upkeep.calls).contains("function kfood-ops-ops-report");
        assertThat(updates().runtime().value()).contains("AWS_LAMBDA_FUNCTION_NAME is not set");
    }
}
