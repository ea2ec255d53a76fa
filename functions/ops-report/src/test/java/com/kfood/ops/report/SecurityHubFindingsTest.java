package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.InvalidAccessException;

/** Failing controls by id, new and resolved against the previous report of the same kind. */
class SecurityHubFindingsTest {
    private static AwsSecurityFinding failing(String control, String severity) {
        return AwsSecurityFinding.builder()
                .severity(s -> s.label(severity))
                .compliance(c -> c.status("FAILED").securityControlId(control))
                .build();
    }

    private static Section section(List<AwsSecurityFinding> findings, PreviousReport previous) {
        ReportReads reads = new StubReads() {
            @Override
            public List<AwsSecurityFinding> activeFindings(int max) {
                return findings;
            }
        };
        Section.Builder s = new Section.Builder("maintenance", "Maintenance and security");
        new SecurityHubFindings(reads, true, previous).addTo(s);
        return s.build();
    }

    @Test
    void controlsNewAndResolvedSinceThePreviousReport() {
        Item before = Item.of("Security Hub failing controls", "2", Verdict.OK).number("controls", "EC2.19,S3.8");
        PreviousReport previous =
                PreviousReportTest.previous(ReportKind.WEEKLY, Map.of("maintenance", List.of(before)));

        Section s = section(
                List.of(failing("EC2.19", "HIGH"), failing("RDS.3", "MEDIUM"), failing("RDS.3", "HIGH")), previous);

        Item controls = s.items().get(1);
        assertThat(controls.value()).isEqualTo("2: EC2.19 (high), RDS.3 (high)");
        assertThat(controls.trend())
                .isEqualTo("1 new (RDS.3), 1 resolved (S3.8) since the weekly report of 2026-11-17");
        assertThat(controls.verdict()).isEqualTo(Verdict.WATCH);
        assertThat(s.items().getFirst().value()).isEqualTo("0 critical, 2 high, 1 medium, 0 low, 0 informational");
    }

    @Test
    void theSameControlsAsLastTimeAreTheBacklogNotNews() {
        Item before = Item.of("Security Hub failing controls", "1", Verdict.OK).number("controls", "EC2.19");
        PreviousReport previous =
                PreviousReportTest.previous(ReportKind.WEEKLY, Map.of("maintenance", List.of(before)));

        Item controls =
                section(List.of(failing("EC2.19", "HIGH")), previous).items().get(1);

        assertThat(controls.verdict()).isEqualTo(Verdict.OK);
        assertThat(controls.trend()).startsWith("0 new, 0 resolved since");
    }

    @Test
    void notEnabledIsSaidOnce() {
        ReportReads reads = new StubReads() {
            @Override
            public List<AwsSecurityFinding> activeFindings(int max) {
                throw InvalidAccessException.builder().message("not subscribed").build();
            }
        };
        Section.Builder s = new Section.Builder("maintenance", "Maintenance and security");
        new SecurityHubFindings(reads, true, PreviousReportTest.previous(ReportKind.WEEKLY, Map.of())).addTo(s);

        assertThat(s.build().items())
                .singleElement()
                .satisfies(i -> assertThat(i.value()).isEqualTo("not enabled in this account and region"));
    }
}
