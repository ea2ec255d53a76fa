package com.kfood.ops.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.UpdateAction;
import software.amazon.awssdk.services.elasticache.model.UpdateActionStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/** {@link UpkeepReads} on AWS, with the report's counted clients. */
record AwsUpkeepReads(
        EcsClient ecs,
        EcrClient ecr,
        ElastiCacheClient elastiCache,
        LambdaClient lambda,
        SecretsManagerClient secrets,
        CloudWatchLogsClient logs)
        implements UpkeepReads {
    /** DescribeTasks takes at most 100 tasks a call; a service runs far fewer. */
    private static final int TASKS_A_CALL = 100;

    @Override
    public List<Task> runningTasks(String cluster, String service) {
        List<String> arns = ecs
                .listTasksPaginator(b -> b.cluster(cluster).serviceName(service).desiredStatus(DesiredStatus.RUNNING))
                .taskArns()
                .stream()
                .limit(TASKS_A_CALL)
                .toList();
        return arns.isEmpty()
                ? List.of()
                : ecs.describeTasks(b -> b.cluster(cluster).tasks(arns)).tasks();
    }

    @Override
    public TaskDefinition taskDefinition(String arn) {
        return ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
    }

    @Override
    public String registryScanType() {
        return ecr.getRegistryScanningConfiguration(b -> {})
                .scanningConfiguration()
                .scanTypeAsString();
    }

    @Override
    public DescribeImageScanFindingsResponse imageScan(String registryId, String repository, ImageIdentifier image) {
        return ecr.describeImageScanFindings(b -> b.registryId(registryId)
                .repositoryName(repository)
                .imageId(image)
                .maxResults(1000));
    }

    @Override
    public List<UpdateAction> updateActions(List<String> cacheClusterIds) {
        return elastiCache
                .describeUpdateActionsPaginator(b -> b.cacheClusterIds(cacheClusterIds)
                        .updateActionStatus(
                                UpdateActionStatus.NOT_APPLIED,
                                UpdateActionStatus.WAITING_TO_START,
                                UpdateActionStatus.IN_PROGRESS,
                                UpdateActionStatus.SCHEDULING,
                                UpdateActionStatus.SCHEDULED,
                                UpdateActionStatus.STOPPED))
                .updateActions()
                .stream()
                .toList();
    }

    @Override
    public GetFunctionConfigurationResponse function(String name) {
        return lambda.getFunctionConfiguration(b -> b.functionName(name));
    }

    @Override
    public DescribeSecretResponse secret(String id) {
        return secrets.describeSecret(b -> b.secretId(id));
    }

    @Override
    public Optional<Instant> newestEvent(String group) {
        // the stream with the newest event first: one call per group, whatever its streams
        return logs
                .describeLogStreams(b -> b.logGroupName(group)
                        .orderBy(OrderBy.LAST_EVENT_TIME)
                        .descending(true)
                        .limit(1))
                .logStreams()
                .stream()
                .map(LogStream::lastEventTimestamp)
                .filter(t -> t != null && t > 0)
                .findFirst()
                .map(Instant::ofEpochMilli);
    }
}
