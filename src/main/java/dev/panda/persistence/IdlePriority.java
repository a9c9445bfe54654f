package dev.panda.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the calling thread under Linux's {@code SCHED_IDLE} policy: it then runs only on CPU time
 * no other thread wants. The background snapshot writer runs so, so that encoding a snapshot
 * never takes CPU from the command thread on a small machine (on two cores, a writer at normal
 * priority doubled the GET p99 seen during a BGSAVE, and lower nice values did not help). Java
 * has no API for a thread's scheduling policy: util-linux's {@code chrt} sets it on the thread's
 * id from {@code /proc/thread-self}. Where that is not possible (not Linux, no chrt) the thread
 * keeps its normal priority. An unprivileged thread cannot leave SCHED_IDLE again, so it is
 * only ever used for a thread that stays in the background.
 *
 * <p>Any thread; acts on the calling thread.
 */
final class IdlePriority {
    private static final Logger LOG = LoggerFactory.getLogger(IdlePriority.class);

    private IdlePriority() {
    }

    /** Returns whether the calling thread now runs under SCHED_IDLE. */
    static boolean applyToCurrentThread() {
        String tid;
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>"
            tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (Exception e) {
            LOG.debug("no thread id to lower the priority of: {}", e.toString());
            return false;
        }
        try {
            Process chrt = new ProcessBuilder("chrt", "--idle", "--pid", "0", tid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!chrt.waitFor(5, TimeUnit.SECONDS)) {
                chrt.destroyForcibly();
                return false;
            }
            return chrt.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.debug("could not run chrt: {}", e.toString());
            return false;
        }
    }
}
