package com.kfood.ops.report;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** The report's databases, each described once per report (capacity and maintenance both read them). */
final class Databases {
    private final RdsClient rds;
    private final Map<String, DBInstance> described = new HashMap<>();

    Databases(RdsClient rds) {
        this.rds = rds;
    }

    synchronized DBInstance describe(String db) {
        return described.computeIfAbsent(
                db,
                id -> rds.describeDBInstances(b -> b.dbInstanceIdentifier(id))
                        .dbInstances()
                        .getFirst());
    }
}
