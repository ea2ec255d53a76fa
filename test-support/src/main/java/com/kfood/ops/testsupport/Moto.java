package com.kfood.ops.testsupport;

import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The running emulator as tests see it: its environment, clients, inboxes and clock. */
public final class Moto implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final Emulator emulator;
    private final Env env;
    private final AwsClients aws;

    Moto(Emulator emulator, Env env) {
        this.emulator = emulator;
        this.env = env;
        this.aws = new AwsClients(env);
    }

    public Emulator emulator() {
        return emulator;
    }

    /** Region, endpoint and credentials of the emulator. */
    public Env env() {
        return env;
    }

    /** The emulator's environment plus a function's own variables. */
    public Env env(Map<String, String> functionVars) {
        Map<String, String> all = new HashMap<>(env.vars());
        all.putAll(functionVars);
        return Env.of(all);
    }

    public AwsClients aws() {
        return aws;
    }

    public DemoPlatform seedPlatform() {
        DemoPlatform platform = new DemoPlatform(aws);
        platform.seed();
        return platform;
    }

    /**
     * The alarm in {@code state}, as CloudWatch holds it before it sends a message about it: a
     * fixture's ALARM is acted on only once CloudWatch confirms it.
     */
    public void alarmState(String alarmName, String state) {
        aws.build(CloudWatchClient.builder(), "CLOUDWATCH")
                .setAlarmState(b -> b.alarmName(alarmName).stateValue(state).stateReason("set by the test"));
    }

    /** A secret in RDS's shape for the machine's PostgreSQL (127.0.0.1:5432); returns its ARN. */
    public String postgresSecret(String name, String username, String password, String dbname) {
        return aws.build(SecretsManagerClient.builder(), "SECRETS_MANAGER")
                .createSecret(b -> b.name(name)
                        .secretString(Json.write(Map.of(
                                "engine",
                                "postgres",
                                "host",
                                "127.0.0.1",
                                "port",
                                5432,
                                "username",
                                username,
                                "password",
                                password,
                                "dbname",
                                dbname))))
                .arn();
    }

    public List<Inbox.Published> drain(String topic) {
        return new Inbox(aws).drain(topic);
    }

    /** Snapshots created after this call are stamped {@code ago} in the past. */
    public void rdsClockAgo(Duration ago) {
        try {
            emulator.setClockOffset(ago.negated());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Snapshots created after this call are stamped {@code at} (plus the seconds the test takes):
     * for a test whose clock is a sample event's fixed time, so the emulator's RDS and the function
     * read one time, whatever the date the suite runs on.
     */
    public void rdsClockAt(Instant at) {
        try {
            emulator.setClockOffset(Duration.between(Instant.now(), at));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
