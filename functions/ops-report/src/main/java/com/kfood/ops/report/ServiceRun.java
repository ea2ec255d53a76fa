package com.kfood.ops.report;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/** A service as ECS describes it and the tasks it runs now: read once, judged for images and platform. */
record ServiceRun(Service service, List<Task> tasks) {
    ServiceRun {
        tasks = List.copyOf(tasks);
    }

    String name() {
        return service.serviceName();
    }
}
