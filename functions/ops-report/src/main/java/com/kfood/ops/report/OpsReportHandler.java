package com.kfood.ops.report;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;

/** OpsReportFunction's Lambda class: the schedules (or a manual invoke) to {@link OpsReport}. */
public final class OpsReportHandler extends OpsHandler {
    public OpsReportHandler() {
        this(Env.system());
    }

    public OpsReportHandler(Env env) {
        super("OpsReportFunction", env, OpsReportHandler::wire);
    }

    static OpsReport wire(Ops ops) {
        ReportConfig config = ReportConfig.from(ops.env());
        CallCount count = new CallCount();
        // the report's own clients count their calls: the report states what it cost
        AwsClients aws = ops.aws().with(count);
        S3Client s3 = aws.build(S3Client.builder().forcePathStyle(aws.s3PathStyle()), "S3");
        Optional<ReportStore> store = config.reportsBucket()
                .map(bucket -> new S3ReportStore(s3, aws.s3Presigner(), bucket, config.linkLifetime()));
        // one client per service: the report's reads and the upkeep reads share ECS and CloudWatch Logs
        CloudWatchLogsClient logs = aws.build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        EcsClient ecs = aws.build(EcsClient.builder(), "ECS");
        ReportReads reads = new AwsReportReads(
                aws.build(CloudWatchClient.builder(), "CLOUDWATCH"),
                // CloudFront and a CloudFront web ACL's WAF publish their metrics in us-east-1 only
                aws.build(CloudWatchClient.builder(), "CLOUDWATCH", Region.US_EAST_1),
                logs,
                aws.build(RdsClient.builder(), "RDS"),
                config.backup().drRegion().map(r -> aws.build(RdsClient.builder(), "RDS", Region.of(r))),
                ecs,
                aws.build(ApplicationAutoScalingClient.builder(), "APPLICATION_AUTO_SCALING"),
                s3,
                // Cost Explorer answers in us-east-1 only
                config.costExplorer()
                        ? Optional.of(aws.build(CostExplorerClient.builder(), "COST_EXPLORER", Region.US_EAST_1))
                        : Optional.empty(),
                config.securityHub()
                        ? Optional.of(aws.build(SecurityHubClient.builder(), "SECURITYHUB"))
                        : Optional.empty());
        UpkeepReads upkeep = new AwsUpkeepReads(
                ecs,
                aws.build(EcrClient.builder(), "ECR"),
                aws.build(ElastiCacheClient.builder(), "ELASTICACHE"),
                aws.build(LambdaClient.builder(), "LAMBDA"),
                aws.build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                logs);
        AwsReportSources sources = new AwsReportSources(config, reads, upkeep, count, ops.clock());
        return new OpsReport(config, sources, store, ops.notifier(), ops.metrics(), ops.log(), ops.clock());
    }
}
