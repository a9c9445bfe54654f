package dev.panda.config;

/** A configuration that cannot be used; the message names where and why. Any thread. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
