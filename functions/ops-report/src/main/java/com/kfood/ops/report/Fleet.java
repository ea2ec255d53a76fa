package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.ecs.model.Service;

/** The services' running tasks against their autoscaling bounds: one DescribeServices, one DescribeScalableTargets. */
final class Fleet {
    record Tasks(String service, int running, int desired, Optional<Integer> min, Optional<Integer> max) {
        Verdict verdict() {
            return max.map(m -> running >= m ? Verdict.ACT : running >= 0.8 * m ? Verdict.WATCH : Verdict.OK)
                    .orElse(Verdict.OK);
        }

        Item item() {
            String bound = max.map(m -> " of at most " + m + " (autoscaling " + min.orElse(0) + "-" + m + ")")
                    .orElse(" (no autoscaling target)");
            Item item = new Item("tasks " + service, running + " running" + bound, "", verdict(), "", null)
                    .number("running", running)
                    .number("desired", desired);
            return max.map(m -> item.number("max", m)).orElse(item);
        }
    }

    private final ReportReads reads;
    private final String cluster;
    private final List<String> services;

    Fleet(ReportReads reads, String cluster, List<String> services) {
        this.reads = reads;
        this.cluster = cluster;
        this.services = services;
    }

    List<Tasks> tasks() {
        Map<String, ScalableTarget> targets = new HashMap<>();
        List<String> ids =
                services.stream().map(s -> "service/" + cluster + "/" + s).toList();
        for (ScalableTarget t : reads.scalableTargets(ids)) {
            targets.put(t.resourceId(), t);
        }
        List<Tasks> out = new ArrayList<>();
        for (Service s : reads.services(cluster, services)) {
            ScalableTarget t = targets.get("service/" + cluster + "/" + s.serviceName());
            out.add(new Tasks(
                    s.serviceName(),
                    s.runningCount(),
                    s.desiredCount(),
                    Optional.ofNullable(t).map(ScalableTarget::minCapacity),
                    Optional.ofNullable(t).map(ScalableTarget::maxCapacity)));
        }
        return out;
    }
}
