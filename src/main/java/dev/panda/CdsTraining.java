package dev.panda;

import dev.panda.config.ServerConfig;
import dev.panda.server.PandaServer;
import dev.panda.store.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the class-data-sharing archive that {@code scripts/cds-archive} makes
 * (java -XX:ArchiveClassesAtExit): it starts a server twice on a temporary directory, the first
 * time writing a key and a Parquet snapshot, the second time loading them back, so that the
 * classes a real start-up loads (Netty, the command table, Parquet and its Hadoop codecs, the
 * log) are in the archive. A later start maps them instead of loading and verifying them again,
 * which takes about a second off a restart.
 *
 * <p>Main thread; the servers run on their own event loops, on 127.0.0.1 and ephemeral ports.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Panda.applyNettyDefaults(); // the classes a real start loads, and only those
        Path dir = Files.createTempDirectory("panda-cds-training");
        try {
            for (int round = 0; round < 2; round++) {
                ServerConfig config = ServerConfig.load(List.of("--port", "0", "--bind", "127.0.0.1",
                        "--dir", dir.toString(), "--save", "", "--loglevel", "warning"), Map.of());
                PandaServer server = new PandaServer(config, Clock.SYSTEM);
                int port = server.start();
                try {
                    exchange(port, "SET training value\r\nINCR counter\r\nGET training\r\nSAVE\r\nINCR counter\r\n", 5);
                } finally {
                    server.stop(false);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    /** Sends inline commands and reads {@code replies} one-line replies (bulk replies have two). */
    private static void exchange(int port, String commands, int replies) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(commands.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int lines = 0;
            int expected = replies;
            boolean lineStart = true;
            for (int b; lines < expected && (b = in.read()) >= 0; ) {
                if (lineStart && b == '$') {
                    expected++; // a bulk reply: its value is one more line
                }
                lineStart = b == '\n';
                if (b == '\n') {
                    lines++;
                }
            }
        }
    }
}
