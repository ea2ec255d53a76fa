package com.kfood.ops.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.elasticache.model.UpdateAction;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/** The upkeep reads as a test sets them: what is not set fails, named; every read is recorded. */
class FakeUpkeep implements UpkeepReads {
    final Map<String, List<Task>> tasks = new HashMap<>();
    final Map<String, TaskDefinition> taskDefinitions = new HashMap<>();
    /** By "repository@digest" or "repository:tag". */
    final Map<String, Supplier<DescribeImageScanFindingsResponse>> scans = new HashMap<>();

    final Map<String, Supplier<DescribeSecretResponse>> secrets = new HashMap<>();
    final Map<String, Supplier<Optional<Instant>>> newest = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    Supplier<String> scanType = () -> "BASIC";
    Supplier<List<UpdateAction>> updates = List::of;
    Supplier<GetFunctionConfigurationResponse> function = () -> {
        throw new UnsupportedOperationException("this test does not answer function");
    };

    @Override
    public List<Task> runningTasks(String cluster, String service) {
        calls.add("runningTasks " + service);
        return tasks.getOrDefault(service, List.of());
    }

    @Override
    public TaskDefinition taskDefinition(String arn) {
        calls.add("taskDefinition " + arn);
        return answer(taskDefinitions.get(arn), "taskDefinition " + arn);
    }

    @Override
    public String registryScanType() {
        calls.add("registryScanType");
        return scanType.get();
    }

    @Override
    public DescribeImageScanFindingsResponse imageScan(String registryId, String repository, ImageIdentifier image) {
        String key = repository + (image.imageDigest() != null ? "@" + image.imageDigest() : ":" + image.imageTag());
        calls.add("imageScan " + key);
        return answer(scans.get(key), "imageScan " + key).get();
    }

    @Override
    public List<UpdateAction> updateActions(List<String> cacheClusterIds) {
        calls.add("updateActions " + cacheClusterIds);
        return updates.get();
    }

    @Override
    public GetFunctionConfigurationResponse function(String name) {
        calls.add("function " + name);
        return function.get();
    }

    @Override
    public DescribeSecretResponse secret(String id) {
        calls.add("secret " + id);
        return answer(secrets.get(id), "secret " + id).get();
    }

    @Override
    public Optional<Instant> newestEvent(String group) {
        calls.add("newestEvent " + group);
        return answer(newest.get(group), "newestEvent " + group).get();
    }

    private static <T> T answer(T value, String read) {
        if (value == null) {
            throw new UnsupportedOperationException("this test does not answer " + read);
        }
        return value;
    }
}
