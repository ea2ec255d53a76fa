package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportConfigTest {
    @Test
    void theDefaultsAreThePlans() {
        ReportConfig c = Fakes.config();

        assertThat(c.slaTargetPercent()).isEqualTo(99.9);
        assertThat(c.zone().getId()).isEqualTo("Asia/Seoul");
        // a forwarded link expires within the hour (issue 31)
        assertThat(c.linkLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.platformLogGroupPrefix()).isEqualTo("/aws/kfood-shorts");
        assertThat(c.reportsBucket()).isEmpty();
        assertThat(c.costExplorer()).isTrue();
        assertThat(c.upkeep().secretMaxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(c.upkeep().silenceAllowed("/aws/kfood-shorts/kfood-backend")).isEqualTo(Duration.ofHours(1));
        assertThat(Fakes.config("LOG_SILENCE_OVERRIDES", " /aws/kfood-shorts/batch=48h, ")
                        .upkeep()
                        .silenceAllowed("/aws/kfood-shorts/batch"))
                .isEqualTo(Duration.ofHours(48));
    }

    @Test
    void badValuesFailAtInitNamingTheVariable() {
        assertThatThrownBy(() -> Fakes.config("SLA_TARGET_PERCENT", "100"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SLA_TARGET_PERCENT");
        assertThatThrownBy(() -> Fakes.config("ALB_FULL_NAME", "kfood-alb"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("app/<name>/<id>");
        assertThatThrownBy(() -> Fakes.config("REPORT_LINK_HOURS", "2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REPORT_LINK_HOURS");
        assertThatThrownBy(() -> Fakes.config("PLATFORM_LOG_GROUP_PREFIX", "aws/kfood"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PLATFORM_LOG_GROUP_PREFIX");
        assertThatThrownBy(() -> Fakes.config("LOG_SILENCE_OVERRIDES", "/aws/kfood-shorts/batch=2d"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOG_SILENCE_OVERRIDES");
        assertThatThrownBy(() -> Fakes.config("RUNTIME_DEPRECATION_DATE", "soon"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RUNTIME_DEPRECATION_DATE");
        assertThatThrownBy(() -> Fakes.config("PLATFORM_SECRET_ARNS", "arn:aws:s3:::not-a-secret"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PLATFORM_SECRET_ARNS");
        assertThatThrownBy(() -> Fakes.config("ROTATION_MAX_DAYS", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ROTATION_MAX_DAYS");
        assertThatThrownBy(() -> Fakes.config("REPORT_TIME_ZONE", "Mars/Olympus"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REPORT_TIME_ZONE");
    }
}
