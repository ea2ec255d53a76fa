package com.kfood.ops.shared;

/** A configuration value is missing or invalid. Raised at init, before anything is changed. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
