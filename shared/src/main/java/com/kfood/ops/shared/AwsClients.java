package com.kfood.ops.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The one place that builds AWS SDK clients (the SDK archetype's DependencyFactory). Region,
 * credentials and endpoint are taken explicitly from {@link Env}, so the SDK never walks its
 * provider chains on the cold path, and one url-connection HTTP client is shared by all clients.
 *
 * <p>Service modules are declared by the functions that use them; this class only sees builders, so
 * a function's artifact carries the clients it needs and no others.
 */
public final class AwsClients {

    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final int READ_TIMEOUT_MS = 20_000;

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Env env;
    private final SdkHttpClient http;
    private final int maxAttempts;
    private final List<ExecutionInterceptor> interceptors;
    private static final ThreadLocal<Boolean> PRIMING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final AtomicLong PRIMED = new AtomicLong();

    public AwsClients(Env env) {
        this(env, List.of());
    }

    /** With interceptors on every client: tests count API calls with them. */
    public AwsClients(Env env, List<ExecutionInterceptor> interceptors) {
        this.env = env;
        List<ExecutionInterceptor> all = new ArrayList<>();
        all.add(new PrimingInterceptor());
        all.addAll(interceptors);
        this.interceptors = List.copyOf(all);
        this.region = Region.of(env.optional("AWS_REGION")
                .or(() -> env.optional("AWS_DEFAULT_REGION"))
                .orElseThrow(() -> new ConfigException("AWS_REGION is required but not set")));
        this.credentials = credentials(env);
        this.maxAttempts = env.integer("AWS_MAX_ATTEMPTS", 5, 1, 20);
        // The SDK's own connection factory builds an SSLContext when the client is built (70 ms of
        // cold start, measured); the JDK's sets TLS up on the first https connection instead, with
        // the same default trust store, hostname verification and proxy settings.
        this.http = UrlConnectionHttpClient.create(AwsClients::open);
    }

    private static HttpURLConnection open(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(READ_TIMEOUT_MS);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Configures and builds a client. {@code endpointKey} is the service's part of the SDK's
     * {@code AWS_ENDPOINT_URL_<SERVICE>} variable (e.g. "RDS", "S3", "SECRETS_MANAGER").
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String endpointKey) {
        return build(builder, endpointKey, region);
    }

    /** As {@link #build(AwsClientBuilder, String)}, for another region (the disaster-recovery copies'). */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, String endpointKey, Region in) {
        builder.region(in)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxAttempts)
                                .build())
                        .apiCallTimeout(Duration.ofSeconds(60))
                        .executionInterceptors(interceptors)
                        .build());
        endpoint(endpointKey).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * An asynchronous client on the HTTP client {@code http} gives (the multipart copy's Netty, which
     * only the function that needs it carries): the region, credentials, endpoint, retries and
     * interceptors of every other client, and no call timeout (a 256 MiB part copy takes as long as
     * S3 takes).
     */
    public <B extends AwsClientBuilder<B, C> & AwsAsyncClientBuilder<B, C>, C> C buildAsync(
            B builder, String endpointKey, SdkAsyncHttpClient.Builder<?> http) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxAttempts)
                                .build())
                        .executionInterceptors(interceptors)
                        .build());
        endpoint(endpointKey).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Runs each call with every request stopped just before it would be sent: the SDK's marshalling,
     * endpoint rules, signing and interceptors run and are loaded, nothing reaches AWS. For
     * SnapStart priming before the checkpoint.
     */
    public static void prime(Runnable... calls) {
        PRIMING.set(Boolean.TRUE);
        try {
            for (Runnable call : calls) {
                try {
                    call.run();
                } catch (RuntimeException expected) {
                    // the priming stop, or the service's reaction to it: either way nothing was sent
                }
            }
        } finally {
            PRIMING.remove();
        }
    }

    /** How many requests priming has stopped in this JVM (tests check that priming reached the SDK). */
    public static long primedRequests() {
        return PRIMED.get();
    }

    /** Stops requests while priming (the benchmark registers its own timing interceptor from the classpath). */
    private static final class PrimingInterceptor implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (PRIMING.get()) {
                PRIMED.incrementAndGet();
                throw new PrimingStop();
            }
        }
    }

    /** Thrown to stop a primed request; cheap (no stack trace). */
    static final class PrimingStop extends RuntimeException {
        PrimingStop() {
            super("priming: request not sent", null, false, false);
        }
    }

    /**
     * The same clients with one more interceptor on each (the report counts its own calls): a
     * derived factory, not a second one configured apart.
     */
    public AwsClients with(ExecutionInterceptor extra) {
        List<ExecutionInterceptor> more = new ArrayList<>(interceptors);
        more.add(extra);
        return new AwsClients(this, more);
    }

    /** {@code base}'s region, credentials and HTTP client (still one for all clients), other interceptors. */
    private AwsClients(AwsClients base, List<ExecutionInterceptor> interceptors) {
        this.env = base.env;
        this.region = base.region;
        this.credentials = base.credentials;
        this.maxAttempts = base.maxAttempts;
        this.http = base.http;
        this.interceptors = List.copyOf(interceptors);
    }

    /** A pre-signer for S3 links, with the region, credentials, endpoint and addressing of the S3 clients. */
    public S3Presigner s3Presigner() {
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(s3PathStyle())
                        .build());
        endpoint("S3").ifPresent(presigner::endpointOverride);
        return presigner.build();
    }

    /**
     * Whether S3 clients address buckets by path: against an endpoint override (the emulator, which
     * has no virtual-hosted buckets) yes, against AWS no. The one place that decides it.
     */
    public boolean s3PathStyle() {
        return endpoint("S3").isPresent();
    }

    /** The region the clients are built for. */
    public Region region() {
        return region;
    }

    /** The environment the clients are built from (region, endpoint, credentials). */
    public Env env() {
        return env;
    }

    /** The endpoint override, as the SDK reads it: service-specific first, then the global one. */
    public Optional<URI> endpoint(String endpointKey) {
        return env.optional("AWS_ENDPOINT_URL_" + endpointKey.toUpperCase(Locale.ROOT))
                .or(() -> env.optional("AWS_ENDPOINT_URL"))
                .map(value -> {
                    try {
                        URI uri = URI.create(value);
                        if (uri.getScheme() == null || uri.getHost() == null) {
                            throw new IllegalArgumentException("no scheme or host");
                        }
                        return uri;
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException("AWS_ENDPOINT_URL is not a URL: '" + Text.printable(value, 80) + "'");
                    }
                });
    }

    private static AwsCredentialsProvider credentials(Env env) {
        Optional<String> key = env.optional("AWS_ACCESS_KEY_ID");
        if (key.isPresent()) {
            String secret = env.required("AWS_SECRET_ACCESS_KEY");
            return StaticCredentialsProvider.create(env.optional("AWS_SESSION_TOKEN")
                    .<AwsCredentials>map(token -> AwsSessionCredentials.create(key.get(), secret, token))
                    .orElseGet(() -> AwsBasicCredentials.create(key.get(), secret)));
        }
        if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            // SnapStart: credentials are served to the restored snapshot, never baked into it
            return ContainerCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
