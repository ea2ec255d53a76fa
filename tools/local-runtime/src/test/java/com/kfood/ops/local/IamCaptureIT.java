package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * What ./ops iam-check records: a request by its model's fields (IamCapture), and the tags each
 * resource had when a request arrived (the emulator wrapper's log), a deleted one as gone.
 */
class IamCaptureIT {
    private static final String DB_ARN = "arn:aws:rds:ap-northeast-2:123456789012:db:kfood-db";

    @Test
    void aRequestIsRecordedByItsApiMemberNames() {
        Object fields = IamCapture.fields(CreateDbSnapshotRequest.builder()
                .dbInstanceIdentifier("kfood-db")
                .dbSnapshotIdentifier("kfood-ops-dev-kfood-db-20261207-1800")
                .tags(Tag.builder().key("ManagedBy").value("kfood-ops").build())
                .build());

        assertThat(fields)
                .isEqualTo(Map.of(
                        "DBSnapshotIdentifier", "kfood-ops-dev-kfood-db-20261207-1800",
                        "DBInstanceIdentifier", "kfood-db",
                        "Tags", List.of(Map.of("Key", "ManagedBy", "Value", "kfood-ops"))));
    }

    @Test
    void theEmulatorLogsTheTagsEachMarkedRequestFound(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("tags.jsonl");
        try (Emulator emulator = Emulator.start(
                Emulator.freePort(),
                dir,
                Map.of("KFOOD_IAM_TAGS_LOG", log.toString(), "KFOOD_IAM_TAGS_REGIONS", "ap-northeast-2"))) {
            RdsClient rds = new AwsClients(Env.of(Map.of(
                            "AWS_ENDPOINT_URL", emulator.endpoint().toString(),
                            "AWS_REGION", "ap-northeast-2",
                            "AWS_ACCESS_KEY_ID", "test",
                            "AWS_SECRET_ACCESS_KEY", "test")))
                    .build(RdsClient.builder(), "RDS");
            rds.createDBInstance(b -> b.dbInstanceIdentifier("kfood-db")
                    .engine("postgres")
                    .dbInstanceClass("db.t4g.micro")
                    .allocatedStorage(20)
                    .masterUsername("kfood")
                    .masterUserPassword("not-a-secret-1")
                    .tags(Tag.builder().key("Team").value("platform").build()));
            marked(rds, "first");
            rds.addTagsToResource(b -> b.resourceName(DB_ARN)
                    .tags(Tag.builder().key("CostCenter").value("cc-42").build()));
            marked(rds, "second");
            rds.deleteDBInstance(b -> b.dbInstanceIdentifier("kfood-db").skipFinalSnapshot(true));
            marked(rds, "third");
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(Mapper.get().readTree(line));
        }

        assertThat(lines).extracting(l -> l.path("id").asText()).containsExactly("first", "second", "third");
        assertThat(lines.get(0).path("tags").path(DB_ARN).path("Team").asText()).isEqualTo("platform");
        assertThat(lines.get(1).path("tags").path(DB_ARN).path("CostCenter").asText())
                .isEqualTo("cc-42");
        assertThat(lines.get(2).path("tags").path(DB_ARN).isNull()).as("gone").isTrue();
    }

    /** A request carrying the check's id header, as IamCapture adds it. */
    private static void marked(RdsClient rds, String id) {
        rds.describeDBInstances(b -> b.overrideConfiguration(o -> o.putHeader(IamCapture.HEADER, id)));
    }
}
