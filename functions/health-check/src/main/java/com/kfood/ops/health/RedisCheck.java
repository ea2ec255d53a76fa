package com.kfood.ops.health;

import com.kfood.ops.shared.SecretCache;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/** Redis (ElastiCache): {@code PING} answered by {@code PONG}, with in-transit TLS and AUTH optional. */
public final class RedisCheck implements HealthCheck {
    private final HostAndPort endpoint;
    private final boolean tls;
    private final String authSecretArn;
    private final SecretCache secrets;
    private final int timeoutMs;

    public RedisCheck(HostAndPort endpoint, boolean tls, String authSecretArn, SecretCache secrets, int timeoutMs) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.authSecretArn = authSecretArn;
        this.secrets = secrets;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String target() {
        return (tls ? "rediss://" : "redis://") + endpoint;
    }

    @Override
    public String run() {
        var config = DefaultJedisClientConfig.builder()
                .ssl(tls)
                // with TLS, the certificate's chain and its name (ElastiCache's endpoint): FULL
                .sslOptions(
                        tls
                                ? SslOptions.builder()
                                        .sslVerifyMode(SslVerifyMode.FULL)
                                        .build()
                                : null)
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs)
                .clientName("kfood-ops-health-check");
        if (authSecretArn != null) {
            var secret = secrets.get(authSecretArn);
            config.password(
                    secret.has("token")
                            ? secret.get("token").asText()
                            : secret.path("password").asText());
        }
        try (Jedis jedis = new Jedis(endpoint, config.build())) {
            String answer = jedis.ping();
            if (!"PONG".equals(answer)) {
                throw new IllegalStateException("PING answered " + answer);
            }
            return "PONG";
        }
    }
}
