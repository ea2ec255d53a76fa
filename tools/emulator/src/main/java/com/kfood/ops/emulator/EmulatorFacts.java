package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the IAM check must know of the demo platform that no request carries: each secret's full
 * ARN, and the database's engine (a restore's default option and parameter groups).
 */
public record EmulatorFacts(Map<String, String> secrets, Map<String, Object> rdsEngine) {
    public static EmulatorFacts read(AwsClients clients, String dbInstanceIds) {
        return new EmulatorFacts(secrets(clients), rdsEngine(clients, dbInstanceIds));
    }

    /**
     * Each secret's full ARN by its name and by the ARN without its random suffix: requests name a
     * secret either way, IAM evaluates its full ARN.
     */
    static Map<String, String> secrets(AwsClients clients) {
        Map<String, String> out = new HashMap<>();
        SecretsManagerClient sm = clients.build(SecretsManagerClient.builder(), "SecretsManager");
        sm.listSecretsPaginator(b -> {}).stream()
                .flatMap(p -> p.secretList().stream())
                .forEach(s -> {
                    out.put(s.name(), s.arn());
                    out.put(s.arn().replaceFirst("-[A-Za-z0-9]{6}$", ""), s.arn());
                    out.put(s.arn(), s.arn());
                });
        return out;
    }

    /**
     * The database's engine and version: a restore that names no option or parameter group gets the
     * engine's default ones, which IAM evaluates as resources of the restore.
     */
    static Map<String, Object> rdsEngine(AwsClients clients, String dbInstanceIds) {
        RdsClient rds = clients.build(RdsClient.builder(), "RDS");
        String id = dbInstanceIds == null ? "" : dbInstanceIds.split(",")[0].strip();
        Map<String, Object> out = new HashMap<>();
        rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream()
                .findFirst()
                .ifPresent(db -> out.put("*", Map.of("name", db.engine(), "version", db.engineVersion())));
        return out;
    }
}
