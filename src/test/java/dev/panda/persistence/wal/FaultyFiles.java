package dev.panda.persistence.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real files with switchable failures, like a disk that fills up or an fsync that fails:
 * set a field to make the next operations fail, clear it to lift the failure. Thread-safe.
 */
public final class FaultyFiles implements WalFiles {
    /** When set, every segment write throws it (after {@link #writeBudget} bytes, if that is set). */
    public volatile IOException failWrites;
    /** With {@link #failWrites}: bytes still written before the failure (a partial write); -1 none. */
    volatile long writeBudget = -1;
    volatile IOException failOpen;
    volatile IOException failForce;
    volatile IOException failDirSync;
    /** Runs at the start of every segment fsync, on the calling thread (to interleave threads in tests, or make a slow disk). */
    public volatile Runnable beforeForce;
    /** Runs at the start of every segment write, on the calling thread (a slow disk). */
    public volatile Runnable beforeWrite;
    /** Runs at the start of every directory listing, on the calling thread (to hold a recovery in tests). */
    public volatile Runnable beforeList;
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger dirSyncs = new AtomicInteger();

    public static IOException diskFull() {
        return new IOException("No space left on device");
    }

    @Override
    public FileChannel openSegment(Path file) throws IOException {
        IOException f = failOpen;
        if (f != null) {
            throw f;
        }
        opens.incrementAndGet();
        return new Channel(WalFiles.SYSTEM.openSegment(file));
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        Runnable hook = beforeList;
        if (hook != null) {
            hook.run();
        }
        return WalFiles.SYSTEM.list(dir);
    }

    @Override
    public long size(Path file) throws IOException {
        return WalFiles.SYSTEM.size(file);
    }

    @Override
    public void delete(Path file) throws IOException {
        WalFiles.SYSTEM.delete(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        IOException f = failDirSync;
        if (f != null) {
            throw f;
        }
        dirSyncs.incrementAndGet();
        WalFiles.SYSTEM.syncDirectory(dir);
    }

    /** A real channel whose writes and fsyncs can be made to fail. */
    private final class Channel extends FileChannel {
        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        private ByteBuffer limitToBudget(ByteBuffer src) throws IOException {
            Runnable hook = beforeWrite;
            if (hook != null) {
                hook.run();
            }
            IOException f = failWrites;
            if (f == null) {
                return src;
            }
            synchronized (FaultyFiles.this) {
                long budget = writeBudget;
                if (budget <= 0) {
                    throw f;
                }
                int n = (int) Math.min(budget, src.remaining());
                writeBudget = budget - n;
                ByteBuffer slice = src.slice(src.position(), n);
                return slice;
            }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            ByteBuffer part = limitToBudget(src);
            int n = real.write(part, position);
            if (part != src) {
                src.position(src.position() + n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer part = limitToBudget(src);
            int n = real.write(part);
            if (part != src) {
                src.position(src.position() + n);
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("gathering write");
        }

        @Override
        public void force(boolean metaData) throws IOException {
            Runnable hook = beforeForce;
            if (hook != null) {
                hook.run();
            }
            IOException f = failForce;
            if (f != null) {
                throw f;
            }
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
