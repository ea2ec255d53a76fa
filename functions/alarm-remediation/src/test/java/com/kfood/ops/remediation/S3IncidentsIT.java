package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.shared.incident.Incidents;
import com.kfood.ops.shared.incident.S3Incidents;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The incident log in moto's S3, as both functions keep it: episodes, their timeline, deployment links. */
@ExtendWith(MotoExtension.class)
class S3IncidentsIT {
    private static final String ALARM = "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-ops-backend-5xx";
    private static final Instant T0 = Instant.parse("2026-11-26T03:12:41.087Z");

    private S3Client s3;
    private S3Incidents incidents;

    @BeforeEach
    void seed(Moto moto) {
        moto.seedPlatform();
        s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        incidents = new S3Incidents(s3, DemoPlatform.STATE_BUCKET);
    }

    @Test
    void anEpisodeRunsFromAlarmToOkAndTheNextAlarmStartsAnother() {
        Incidents.Incident first = incidents.open(ALARM, T0);
        assertThat(first.id()).isEqualTo(Incidents.idOf(ALARM, T0)).startsWith("INC-20261126-031241-");
        assertThat(incidents.open(ALARM, T0.plus(Duration.ofMinutes(4)))).isEqualTo(first); // still in ALARM

        incidents.add(first.id(), new Incidents.Entry(T0.plusSeconds(250), Incidents.DEPLOYMENT_DONE, "done"));
        incidents.add(first.id(), new Incidents.Entry(T0, Incidents.ALARM, "ALARM (from OK)"));
        incidents.add(first.id(), new Incidents.Entry(T0.plusSeconds(4), Incidents.ACTION, "deployment started"));
        incidents.add(first.id(), new Incidents.Entry(T0.plusSeconds(4), Incidents.ACTION, "deployment started"));
        assertThat(incidents.timeline(first.id()))
                .extracting(Incidents.Entry::text)
                .containsExactly("ALARM (from OK)", "deployment started", "done");

        Incidents.Incident closed = incidents.close(first, T0.plus(Duration.ofMinutes(9)));
        assertThat(incidents.latest(ALARM)).contains(closed);
        // a late redelivery of the first ALARM belongs to the closed episode; a new ALARM opens another
        assertThat(incidents.open(ALARM, T0)).isEqualTo(closed);
        Incidents.Incident next = incidents.open(ALARM, T0.plus(Duration.ofHours(1)));
        assertThat(next.id()).isNotEqualTo(first.id());
        assertThat(next.isOpen()).isTrue();
    }

    @Test
    void aDeploymentIsLinkedToItsIncidentAndNothingElseIs() {
        Incidents.Incident incident = incidents.open(ALARM, T0);
        incidents.linkDeployment("ecs-svc/6549472914785923901", incident);
        assertThat(incidents.byDeployment("ecs-svc/6549472914785923901")).contains(incident);
        assertThat(incidents.byDeployment("ecs-svc/1")).isEmpty();
        assertThat(incidents.byDeployment("../../" + "x".repeat(2000))).isEmpty();
    }

    @Test
    void aRecordThatCannotBeReadIsAsGoodAsNone() {
        incidents.open(ALARM, T0);
        String key = s3.listObjectsV2(b -> b.bucket(DemoPlatform.STATE_BUCKET).prefix("incidents/alarms/"))
                .contents()
                .getFirst()
                .key();
        s3.putObject(
                b -> b.bucket(DemoPlatform.STATE_BUCKET).key(key),
                RequestBody.fromString("{\"id\":\"INC-x\",\"start\":\"yesterday\"}"));
        assertThat(incidents.latest(ALARM)).isEmpty();
        assertThat(incidents.open(ALARM, T0.plusSeconds(60)).id()).isEqualTo(Incidents.idOf(ALARM, T0.plusSeconds(60)));
    }
}
