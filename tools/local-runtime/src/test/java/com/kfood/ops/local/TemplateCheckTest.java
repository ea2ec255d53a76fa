package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/checks/template-check.py passes the real template and refuses a careless one, for each reason. */
class TemplateCheckTest {
    private record Run(int exit, String output) {}

    /** One security-review point broken in a copy of the real template, and what the check must say. */
    private record Breakage(String name, String from, String to, String expected) {}

    private static final List<Breakage> BREAKAGES = List.of(
            new Breakage(
                    "chatbot-for-any-account",
                    "              Service: chatbot.amazonaws.com\n            Action: sts:AssumeRole\n            Condition:\n"
                            + "              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId\n",
                    "              Service: chatbot.amazonaws.com\n            Action: sts:AssumeRole\n",
                    "SlackChannelRole: chatbot.amazonaws.com may assume it for any account"),
            new Breakage(
                    "anyone-publishes",
                    "          - Sid: OnlyCloudWatchAndTheStacksRolesPublish\n            Effect: Deny\n",
                    "          - Sid: OnlyCloudWatchAndTheStacksRolesPublish\n            Effect: Allow\n",
                    "NotificationsTopic: anyone the account allows may publish"),
            new Breakage(
                    "any-protocol",
                    "                sns:Protocol: [email, lambda, https]",
                    "                sns:Endpoint: [\"*\"]",
                    "AlarmsTopic: subscriptions by any protocol"),
            new Breakage(
                    "week-long-report-links",
                    "    Default: 1\n    MinValue: 1\n    MaxValue: 1\n",
                    "    Default: 12\n    MinValue: 1\n    MaxValue: 168\n",
                    "a report's pre-signed link may live longer than one hour"),
            new Breakage(
                    "prod-may-require-only",
                    "      - Assert: !Equals [!Ref DbSslMode, verify-full]",
                    "      - Assert: !Not [!Equals [!Ref DbSslMode, disable]]",
                    "prod must connect to its database with DbSslMode verify-full"),
            new Breakage(
                    "any-scalable-target-in-prod",
                    "      - Assert: !Not [!EachMemberEquals [!Ref EcsScalableTargetArns, \"\"]]",
                    "      - Assert: !Not [!Equals [!Ref Environment, \"\"]]",
                    "outside dev the remediation's scalable targets must be named"),
            new Breakage(
                    "backups-on-the-shared-key",
                    "              KMSMasterKeyID: !GetAtt BackupKey.Arn",
                    "              KMSMasterKeyID: !GetAtt OpsKey.Arn",
                    "BackupBucket: no SSE-KMS with the backups' own key"),
            new Breakage(
                    "governance-in-prod",
                    "            Mode: !If [IsProd, COMPLIANCE, GOVERNANCE]",
                    "            Mode: GOVERNANCE",
                    "COMPLIANCE in prod and GOVERNANCE elsewhere"),
            new Breakage(
                    "backup-key-goes-with-the-stack",
                    "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n"
                            + "      Description: kfood-ops backups",
                    "    Properties:\n      Description: kfood-ops backups",
                    "BackupKey: not kept"),
            new Breakage(
                    "backup-key-deletable",
                    "          - Sid: NoQuietDestruction\n            Effect: Deny\n",
                    "          - Sid: NoQuietDestruction\n            Effect: Allow\n",
                    "BackupKey: anyone the account allows may disable it or schedule its deletion"),
            new Breakage(
                    "retention-bypassed",
                    "              - s3:BypassGovernanceRetention\n              - s3:DeleteBucketPolicy\n",
                    "              - s3:DeleteBucketPolicy\n",
                    "BackupBucketPolicy: s3:BypassGovernanceRetention not denied"),
            new Breakage(
                    "lifecycle-by-anyone",
                    "                - s3:PutLifecycleConfiguration\n                - s3:PutBucketPolicy\n",
                    "                - s3:PutBucketPolicy\n",
                    "BackupBucketPolicy: s3:PutLifecycleConfiguration not denied"),
            new Breakage(
                    "reports-open-anywhere",
                    "            - Sid: ReportsOpenOnlyFromTheNamedNetworks\n"
                            + "              # a leaked link is of no use outside the office, the VPN or the VPC endpoint\n"
                            + "              Effect: Deny\n",
                    "            - Sid: ReportsOpenOnlyFromTheNamedNetworks\n              Effect: Allow\n",
                    "ReportsBucketPolicy: report links open from anywhere"),
            new Breakage(
                    "unsigned-code",
                    "    CodeSigningConfigArn: !If [SignsCode, !Ref CodeSigningConfig, !Ref AWS::NoValue]\n",
                    "",
                    "runs unsigned code (no CodeSigningConfigArn)"),
            new Breakage(
                    "signatures-only-warned",
                    "        UntrustedArtifactOnDeployment: Enforce",
                    "        UntrustedArtifactOnDeployment: Warn",
                    "CodeSigningConfig: unsigned code is not refused"),
            new Breakage(
                    "deployed-without-a-signing-profile",
                    "      - Assert: !Not [!Equals [!Ref SigningProfileVersionArn, \"\"]]",
                    "      - Assert: !Not [!Equals [!Ref Environment, \"\"]]",
                    "staging and prod may deploy without a signing profile"),
            new Breakage(
                    "prefix-without-environment",
                    "SNAPSHOT_PREFIX: !Sub ${SnapshotPrefix}-${Environment}",
                    "SNAPSHOT_PREFIX: !Ref SnapshotPrefix",
                    "SNAPSHOT_PREFIX must include the environment"),
            new Breakage(
                    "retag-foreign-snapshots",
                    "                  rds:snapshot-tag/ManagedBy: !Ref AWS::StackName\n                ForAllValues",
                    "                  rds:snapshot-tag/Owner: anyone\n                ForAllValues",
                    "rds:AddTagsToResource must need a snapshot already ours"),
            new Breakage(
                    "foreign-tag-keys",
                    "aws:TagKeys: [ManagedBy, \"kfood-ops:CreatedBy\"",
                    "aws:TagKeys: [ManagedBy, Owner, \"kfood-ops:CreatedBy\"",
                    "only our tag keys"),
            new Breakage(
                    "snapshot-any-database",
                    "                  - arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${Db}\n                  - "
                            + "Db: !Select [0",
                    "                  - arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:*${Db}\n                  "
                            + "- Db: !Select [0",
                    "rds:CreateDBSnapshot on arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:*"),
            new Breakage(
                    "delete-foreign-snapshots",
                    "            - Sid: DeleteOnlyOwnSnapshots\n              Effect: Allow\n              Action: rds:DeleteDBSnapshot\n",
                    "            - Sid: DeleteOnlyOwnSnapshots\n              Effect: Allow\n              Action: "
                            + "rds:DeleteDBSnapshot\n              Resource: \"arn:aws:rds:*:*:snapshot:*\"\n            - "
                            + "Effect: Allow\n              Action: rds:DeleteDBSnapshot\n",
                    "rds:DeleteDBSnapshot only on"),
            new Breakage(
                    "update-any-service",
                    "              Action: ecs:UpdateService\n              Resource:\n                - !Sub "
                            + "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${EcsClusterName}/${BackendServiceName}",
                    "              Action: ecs:UpdateService\n              Resource:\n                - !Sub "
                            + "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${EcsClusterName}/*",
                    "ecs:UpdateService only on the backend and frontend services"),
            new Breakage(
                    "foreign-task-definition",
                    "                ArnLikeIfExists:\n                  ecs:task-definition:",
                    "                ArnLikeIfExists:\n                  ecs:cluster:",
                    "needs the ecs:task-definition condition"),
            new Breakage(
                    "ecs-exec-allowed",
                    "                BoolIfExists:\n                  ecs:enable-execute-command: \"false\"\n",
                    "",
                    "must not switch ECS Exec on"),
            new Breakage(
                    "reboot-any-database",
                    "                Resource: !Sub\n                  - "
                            + "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${Db}",
                    "                Resource: !Sub\n                  - "
                            + "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:*${Db}",
                    "rds:RebootDBInstance only on PRIMARY_DB"),
            new Breakage(
                    "secret-wildcard",
                    "!Sub \"${DbSecretArn}-??????\"",
                    "!Sub \"${DbSecretArn}*\"",
                    "only the exact 6-character suffix"),
            new Breakage(
                    "vpc-policy-always",
                    "        - !If\n          - HasVpc\n          - !Sub "
                            + "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole\n          - "
                            + "!Ref AWS::NoValue",
                    "        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                    "AWSLambdaVPCAccessExecutionRole attached outside HasVpc"),
            new Breakage(
                    "admin-managed-policy",
                    "        - !Sub arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess\n",
                    "        - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess\n",
                    "is not on the short list"),
            new Breakage(
                    "no-boundary",
                    "    PermissionsBoundary: !If [HasBoundary, !Sub "
                            + "\"arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${PermissionsBoundaryName}\", !Ref "
                            + "AWS::NoValue]\n    PropagateTags",
                    "    PropagateTags",
                    "role without the permissions boundary"),
            new Breakage(
                    "plain-log-group",
                    "      RetentionInDays: !Ref LogRetentionDays\n      KmsKeyId: !GetAtt OpsKey.Arn\n",
                    "      RetentionInDays: !Ref LogRetentionDays\n",
                    "log group not encrypted with the stack's key"),
            new Breakage(
                    "prod-without-human",
                    "    RuleCondition: !Equals [!Ref Environment, prod]",
                    "    RuleCondition: !Equals [!Ref Environment, nowhere]",
                    "prod must not deploy without a human route"),
            new Breakage(
                    "no-delivery-logging",
                    "        - Protocol: lambda\n",
                    "        - Protocol: sqs\n",
                    "no delivery-status logging"),
            new Breakage(
                    "no-delivery-alarm",
                    "          Value: !GetAtt AlarmsTopic.TopicName",
                    "          Value: !GetAtt NotificationsTopic.TopicName",
                    "AlarmsTopic: no alarm on NumberOfNotificationsFailed"),
            new Breakage(
                    "schedule-unnamed",
                    "            Name: !Sub ${AWS::StackName}-snapshot-daily\n",
                    "",
                    "schedule not named with the stack name"),
            new Breakage(
                    "rule-any-cluster",
                    "                - prefix: !Sub arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${EcsClusterName}/",
                    "                - prefix: !Sub arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/",
                    "ECS rule not filtered to the platform's cluster"),
            new Breakage(
                    "log-level-above-info",
                    "      ApplicationLogLevel: INFO\n",
                    "      ApplicationLogLevel: WARN\n",
                    "ApplicationLogLevel WARN would drop the EMF metric lines"),
            new Breakage(
                    "untagged-topic",
                    "      DisplayName: kfood-ops\n      KmsMasterKeyId: !Ref OpsKey\n      Tags:\n        - Key: Environment",
                    "      DisplayName: kfood-ops\n      KmsMasterKeyId: !Ref OpsKey\n      Tags:\n        - Key: Stage",
                    "NotificationsTopic: not tagged Environment and Service"),
            new Breakage(
                    "drill-deletes-untagged-instances",
                    "                Action: rds:DeleteDBInstance\n                Resource:\n                  - !Sub arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${SnapshotPrefix}-${Environment}-drill-*\n                  - !If [HasDrDrill, !Sub \"arn:${AWS::Partition}:rds:${DrRegion}:${AWS::AccountId}:db:${SnapshotPrefix}-${Environment}-drill-*\", !Ref AWS::NoValue]\n                Condition:\n                  StringEquals:\n                    rds:db-tag/ManagedBy: !Ref AWS::StackName\n                  \"Null\":\n                    rds:db-tag/kfood-ops:drill: \"false\"\n",
                    "                Action: rds:DeleteDBInstance\n                Resource:\n                  - !Sub arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${SnapshotPrefix}-${Environment}-drill-*\n                  - !If [HasDrDrill, !Sub \"arn:${AWS::Partition}:rds:${DrRegion}:${AWS::AccountId}:db:${SnapshotPrefix}-${Environment}-drill-*\", !Ref AWS::NoValue]\n                Condition:\n                  StringEquals:\n                    rds:db-tag/ManagedBy: !Ref AWS::StackName\n",
                    "rds:DeleteDBInstance only on"),
            new Breakage(
                    "drill-restores-any-snapshot",
                    "                Action: rds:RestoreDBInstanceFromDBSnapshot\n                Resource:\n                  - !Sub arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:snapshot:${SnapshotPrefix}-${Environment}-*",
                    "                Action: rds:RestoreDBInstanceFromDBSnapshot\n                Resource:\n                  - !Sub arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:snapshot:*",
                    "restores only from snapshots this stack made"),
            new Breakage(
                    "drill-restores-any-database-to-a-point-in-time",
                    "                # each of DbInstanceIds, as the snapshot function names them\n                Resource:\n                  - !Sub\n                    - arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${Db}",
                    "                # each of DbInstanceIds, as the snapshot function names them\n                Resource:\n                  - !Sub\n                    - arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:*",
                    "restores to a point in time only from DbInstanceIds"),
            new Breakage(
                    "drill-reads-any-rds-secret",
                    "                      - !Sub arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:${SnapshotPrefix}-${Environment}-drill-*\n                      - !If [HasDrDrill",
                    "                      - !Sub arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:db:*\n                      - !If [HasDrDrill",
                    "secret arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:rds!db-*: only the exact"),
            new Breakage(
                    "remediation-changes-scaling-policies",
                    "                - application-autoscaling:DeleteScheduledAction\n",
                    "                - application-autoscaling:DeleteScheduledAction\n                - application-autoscaling:PutScalingPolicy\n",
                    "Application Auto Scaling only raises a minimum"),
            new Breakage(
                    "remediation-scales-any-target",
                    "                  application-autoscaling:service-namespace: ecs\n",
                    "                  application-autoscaling:service-namespace: dynamodb\n",
                    "only on ECS desired-count targets"),
            new Breakage(
                    "remediation-writes-the-whole-state-bucket",
                    "              Resource: !Sub ${OpsStateBucket.Arn}/incidents/*\n",
                    "              Resource: !Sub ${OpsStateBucket.Arn}/*\n",
                    "AlarmRemediationFunctionRole: writes to ${OpsStateBucket.Arn}/*: only under incidents/*"),
            new Breakage(
                    "copy-any-snapshot",
                    "                  - !Sub arn:${AWS::Partition}:rds:${DrRegion}:${AWS::AccountId}:snapshot:${SnapshotPrefix}-${Environment}-*\n              - !Ref AWS::NoValue",
                    "                  - !Sub arn:${AWS::Partition}:rds:${DrRegion}:${AWS::AccountId}:snapshot:*\n              - !Ref AWS::NoValue",
                    "rds:CopyDBSnapshot only of and to"),
            new Breakage(
                    "dr-key-grants-to-anyone",
                    "                    kms:ViaService: !Sub rds.${DrRegion}.amazonaws.com\n",
                    "                    kms:ViaService: !Sub s3.${DrRegion}.amazonaws.com\n",
                    "kms:CreateGrant only on the DR key"),
            new Breakage(
                    "replication-deletes-too",
                    "                  - s3:ReplicateObject\n",
                    "                  - s3:ReplicateObject\n                  - s3:ReplicateDelete\n",
                    "deletes are not replicated"),
            new Breakage(
                    "replicas-anywhere",
                    "                  - !Sub ${DrBackupBucketArn}/uploads/*\n",
                    "                  - arn:aws:s3:::*/*\n",
                    "replicas only into DrBackupBucketArn"),
            new Breakage(
                    "report-writes-the-state-bucket",
                    "                - s3:GetObject\n              Resource: !Sub ${ReportsBucket.Arn}/reports/*",
                    "                - s3:GetObject\n              Resource: !Sub ${OpsStateBucket.Arn}/*",
                    "OpsReportFunctionRole: reads only, but s3:PutObject on ${OpsStateBucket.Arn}/*"),
            new Breakage(
                    "report-deletes-reports",
                    "                - s3:PutObject\n                - s3:GetObject\n              Resource: !Sub ${ReportsBucket.Arn}",
                    "                - s3:PutObject\n                - s3:DeleteObject\n                - s3:GetObject\n"
                            + "              Resource: !Sub ${ReportsBucket.Arn}",
                    "OpsReportFunctionRole: reads only, but s3:DeleteObject on ${ReportsBucket.Arn}/reports/*"));

    private static Run check(Path... templates) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "python3",
                InvokeTest.ROOT.resolve("tools/checks/template-check.py").toString()));
        for (Path t : templates) {
            cmd.add(t.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static void requireTools() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import samtranslator, cfnlint").start();
        assumeTrue(p.waitFor() == 0, "python3 with samtranslator and cfn-lint is needed");
    }

    @Test
    void theStacksTemplatePasses() throws Exception {
        requireTools();
        Run run = check(InvokeTest.ROOT.resolve("template.yaml"));
        assertThat(run.output()).contains("8 functions").contains(": 0 problem(s)");
        assertThat(run.exit()).isZero();
    }

    @Test
    void aCarelessTemplateIsRefusedForEveryReason() throws Exception {
        requireTools();
        Run run = check(Path.of("src/test/resources/bad-template.yaml").toAbsolutePath());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("IAM action rds:DeleteEverything does not exist")
                .contains("mutating action rds:DeleteDBSnapshot is allowed on Resource '*'")
                .doesNotContain("rds:DescribeDBSnapshots is allowed")
                .contains("Careless: its log group has no retention")
                .contains("Careless: invoked asynchronously but has no on-failure destination")
                .contains("PlainTopic: SNS topic is not encrypted")
                .contains("PlainQueue: SQS queue is not encrypted")
                .contains("environment variable DB_PASSWORD looks like a secret");
    }

    @Test
    void everySecurityPointBrokenInACopyOfTheTemplateIsRefused(@TempDir Path dir) throws Exception {
        requireTools();
        String original = Files.readString(InvokeTest.ROOT.resolve("template.yaml"));
        Map<Breakage, Path> copies = new LinkedHashMap<>();
        for (Breakage b : BREAKAGES) {
            assertThat(original)
                    .as("%s: the text it breaks is in template.yaml", b.name())
                    .contains(b.from());
            Path copy = dir.resolve(b.name() + ".yaml");
            Files.writeString(copy, original.replace(b.from(), b.to()));
            copies.put(b, copy);
        }
        Run run = check(copies.values().toArray(Path[]::new));
        assertThat(run.exit()).isEqualTo(1);
        for (var e : copies.entrySet()) {
            String report = reportOf(run.output(), e.getValue());
            assertThat(report).as(e.getKey().name()).doesNotContain(" 0 problem(s)");
            assertThat(report).as(e.getKey().name()).contains(e.getKey().expected());
        }
    }

    @Test
    void aBoundaryThatLacksAnActionOfTheTemplateOrAllowsOneMoreIsRefused(@TempDir Path dir) throws Exception {
        requireTools();
        String boundary = Files.readString(InvokeTest.ROOT.resolve("bootstrap/pipeline.yaml"));
        String line = "              - rds:CreateDBSnapshot\n";
        assertThat(boundary).contains(line);
        Path lacking = dir.resolve("lacking.yaml");
        Files.writeString(lacking, boundary.replace(line, ""));
        Path wider = dir.resolve("wider.yaml");
        Files.writeString(wider, boundary.replace(line, line + "              - rds:DeleteDBCluster\n"));

        Run lacks = checkWithBoundary(lacking);
        Run widens = checkWithBoundary(wider);

        assertThat(lacks.exit()).isEqualTo(1);
        assertThat(lacks.output()).contains("does not allow rds:CreateDBSnapshot, which the template allows");
        assertThat(widens.exit()).isEqualTo(1);
        assertThat(widens.output()).contains("allows rds:DeleteDBCluster, which no role of the template asks for");
    }

    private static Run checkWithBoundary(Path bootstrap) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "python3",
                        InvokeTest.ROOT
                                .resolve("tools/checks/template-check.py")
                                .toString(),
                        InvokeTest.ROOT.resolve("template.yaml").toString(),
                        "--bootstrap",
                        bootstrap.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** The lines template-check printed for one of several templates (each report ends with its summary line). */
    private static String reportOf(String output, Path template) {
        StringBuilder report = new StringBuilder();
        for (String line : output.split("\n")) {
            report.append(line).append('\n');
            if (line.startsWith("template-check: " + template + ":")) {
                return report.toString();
            }
            if (line.matches("template-check: .*: \\d+ functions, .*")) {
                report.setLength(0);
            }
        }
        throw new AssertionError("no report for " + template + " in:\n" + output);
    }
}
