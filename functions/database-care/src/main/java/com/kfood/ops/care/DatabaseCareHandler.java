package com.kfood.ops.care;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.SecretCache;
import java.time.Duration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** DatabaseCareFunction's Lambda class: the daily schedule (or a manual invoke) to {@link DatabaseCare}. */
public final class DatabaseCareHandler extends OpsHandler {
    public DatabaseCareHandler() {
        this(Env.system());
    }

    public DatabaseCareHandler(Env env) {
        super("DatabaseCareFunction", env, DatabaseCareHandler::wire);
    }

    /** The backup bucket; its multipart client (Netty) is made on the first archive only. */
    static ArchiveStore archive(Ops ops, String bucket) {
        AwsClients aws = ops.aws();
        return new S3ArchiveStore(
                aws.build(S3Client.builder().forcePathStyle(aws.s3PathStyle()), "S3"),
                () -> aws.buildAsync(
                        S3AsyncClient.builder()
                                .forcePathStyle(aws.s3PathStyle())
                                .multipartEnabled(true)
                                // a body over 1 MiB would first wait for "100 Continue", which the emulator's
                                // server answers as a final status (found by ./ops bench-partition); S3 accepts
                                // the body sent at once
                                .serviceConfiguration(S3Configuration.builder()
                                        .expectContinueEnabled(false)
                                        .build()),
                        "S3",
                        NettyNioAsyncHttpClient.builder().maxConcurrency(4).readTimeout(Duration.ofMinutes(2))),
                bucket);
    }

    static DatabaseCare wire(Ops ops) {
        CareConfig config = CareConfig.from(ops.env());
        return new DatabaseCare(
                config,
                SecretCache.fromSecretsManager(
                        ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                        ops.clock(),
                        config.secretTtl()),
                new DatabaseCare.Stores(
                        new CloudWatchSizeHistory(
                                ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"),
                                ops.env().string("METRICS_NAMESPACE", Ops.DEFAULT_NAMESPACE)),
                        config.archiveBucket().map(bucket -> archive(ops, bucket))),
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
