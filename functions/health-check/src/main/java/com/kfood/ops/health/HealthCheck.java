package com.kfood.ops.health;

/** One synthetic check; it must honour its own connect and read timeouts. */
public interface HealthCheck {
    String name();

    /** Where it looks, without credentials. */
    String target();

    /** Runs once; throws on failure (the message is shown), returns a short detail on success. */
    String run() throws Exception;
}
