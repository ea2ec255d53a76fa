package com.kfood.ops.deploy;

import java.util.List;

/**
 * What the notifier could add to an event by asking ECS or CodeDeploy; every field may be null,
 * and {@code lookupErrors} says which lookups failed (the notification goes out regardless).
 */
public record Enrichment(
        String taskDefinitionBefore,
        String taskDefinitionAfter,
        String imageBefore,
        String imageAfter,
        Integer desired,
        Integer running,
        Long durationSeconds,
        String rollbackTarget,
        String logGroup,
        String status,
        List<String> lookupErrors) {

    static Enrichment none(List<String> errors) {
        return new Enrichment(null, null, null, null, null, null, null, null, null, null, errors);
    }
}
