package dev.panda.command.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as INFO memory and the metrics endpoint report it. Any thread. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size from /proc, or 0 where /proc is missing. */
    public static long residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Java heap in use (live objects and garbage not yet collected). */
    public static long heapUsedBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
