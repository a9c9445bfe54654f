package dev.panda.persistence.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} in a local directory (for instance a mounted network disk): a blob name's
 * slashes are subdirectories. Writes go to a temp file that is fsynced and renamed, then the
 * directory is fsynced, so a blob is whole or absent. Thread-safe (the file system is the state).
 */
public final class LocalBlobStore implements BlobStore {
    private final Path root;

    public LocalBlobStore(Path root) {
        this.root = root;
    }

    @Override
    public void put(String name, Path file) throws StorageException {
        Path target = resolve(name);
        Path temp = target.resolveSibling(target.getFileName() + ".uploading");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.OTHER, "cannot store " + name + " in " + root + ": " + e, e);
        }
    }

    @Override
    public void get(String name, Path target) throws StorageException {
        try {
            Files.copy(resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.OTHER, "cannot read " + name + " from " + root + ": " + e, e);
        }
    }

    @Override
    public List<Blob> list(String prefix) throws StorageException {
        List<Blob> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (Files.isRegularFile(p) && name.startsWith(prefix) && !name.endsWith(".uploading")) {
                    out.add(new Blob(name, Files.size(p)));
                }
            }
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.OTHER, "cannot list " + root + ": " + e, e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public void delete(Collection<String> names) throws StorageException {
        try {
            for (String name : names) {
                Files.deleteIfExists(resolve(name));
            }
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.OTHER, "cannot delete in " + root + ": " + e, e);
        }
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String describe() {
        return "Local (" + root + ")";
    }

    @Override
    public void close() {
    }

    private Path resolve(String name) throws StorageException {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new StorageException(StorageException.Kind.OTHER, "blob name outside the store: " + name, null);
        }
        return p;
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }
}
