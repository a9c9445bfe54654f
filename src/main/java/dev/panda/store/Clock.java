package dev.panda.store;

/**
 * Source of wall-clock time in epoch milliseconds. Injected so that tests move time by hand
 * instead of sleeping. Any thread.
 */
@FunctionalInterface
public interface Clock {
    long nowMillis();

    Clock SYSTEM = System::currentTimeMillis;
}
