import dev.panda.config.ServerConfig;
import dev.panda.persistence.Persistence;
import dev.panda.store.Clock;
import dev.panda.store.Keyspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Loads the same data directory several times in one JVM, for bench/durability (scenario 2): the
 * first load pays what every restart pays (classes loaded and initialised, code interpreted and
 * compiled, the heap grown), the later ones show what the load itself costs once the JVM is warm.
 * Each load recovers a fresh copy of DIR (recovery opens the log for writing) through the same
 * code a restart runs ({@link Persistence#recover}), and must find KEYS keys.
 *
 * <pre>java -cp panda.jar WarmLoad.java DIR LOADS KEYS</pre>
 *
 * <p>Prints one line, {@code load ms: } and the milliseconds of each load in order (Panda's log
 * lines go to standard output too). Exits 1 on a failure.
 *
 * <p>Threads: the loads run on the main thread (Persistence's own loader threads as at start-up).
 */
public final class WarmLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java -cp panda.jar WarmLoad.java DIR LOADS KEYS");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        int loads = Integer.parseInt(args[1]);
        long keys = Long.parseLong(args[2]);
        StringBuilder line = new StringBuilder("load ms:");
        for (int i = 0; i < loads; i++) {
            Path copy = source.resolveSibling(source.getFileName() + "-warm-load-" + i);
            copyTree(source, copy);
            ServerConfig config = ServerConfig.load(
                    List.of("--dir", copy.toString(), "--save", "", "--appendonly", "yes"), Map.of());
            Keyspace keyspace = new Keyspace(config.getInt("databases"), Clock.SYSTEM);
            ScheduledExecutorService storeThread = Executors.newSingleThreadScheduledExecutor();
            Persistence persistence = new Persistence(config, keyspace, storeThread);
            System.gc(); // the previous load's keyspace is garbage: do not make this one collect it
            long start = System.nanoTime();
            persistence.recover();
            long millis = (System.nanoTime() - start) / 1_000_000;
            long found = storeThread.submit(keyspace::size).get(); // the keyspace's owner thread
            persistence.shutdown(false);
            storeThread.shutdownNow();
            deleteTree(copy);
            if (found != keys) {
                System.err.println("load " + (i + 1) + " found " + found + " keys, expected " + keys);
                System.exit(1);
            }
            line.append(' ').append(millis);
        }
        System.out.println(line);
        System.exit(0); // Persistence's daemon threads and the log's fsync thread end with the JVM
    }

    private static void copyTree(Path from, Path to) throws IOException {
        deleteTree(to);
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
