package com.kfood.ops.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.elasticache.model.UpdateAction;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * The reads behind "security updates" and "are the logs alive": what runs and its scan findings,
 * what AWS has queued for the caches, the functions' runtime, the secrets' rotation, each log
 * group's newest event. The seam the unit tests fake; {@link AwsUpkeepReads} makes the calls. No
 * read here returns a secret's value.
 */
interface UpkeepReads {
    /** The service's running tasks: their containers' images by digest, platform version and start. */
    List<Task> runningTasks(String cluster, String service);

    TaskDefinition taskDefinition(String arn);

    /** The registry's scan type: ENHANCED (Amazon Inspector) or BASIC. */
    String registryScanType();

    /** One image's scan findings (the first 1,000); AWS's ScanNotFoundException when never scanned. */
    DescribeImageScanFindingsResponse imageScan(String registryId, String repository, ImageIdentifier image);

    /** The service updates not yet applied to these ElastiCache clusters. */
    List<UpdateAction> updateActions(List<String> cacheClusterIds);

    GetFunctionConfigurationResponse function(String name);

    /** A secret's rotation state and versions' stages (DescribeSecret: never its value). */
    DescribeSecretResponse secret(String id);

    /** The newest event's time in the group (by its streams' last event), empty when it has none. */
    Optional<Instant> newestEvent(String group);
}
