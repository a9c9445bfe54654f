package dev.panda.command.script;

import dev.panda.command.Client;
import dev.panda.protocol.Reply;
import java.util.function.Predicate;

/**
 * The connection behind the client scripts run commands as: there is no socket, nothing to
 * close or feed, and it never blocks (the client denies blocking). Store thread only.
 */
final class ScriptConnection implements Client.Connection {
    @Override
    public void close() {
    }

    @Override
    public void setProtocol(int protocol) {
    }

    @Override
    public String remoteAddress() {
        return "lua";
    }

    @Override
    public String localAddress() {
        return "";
    }

    @Override
    public void feed(byte[] bytes) {
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        throw new IllegalStateException("scripts never block");
    }

    @Override
    public void blocked() {
        throw new IllegalStateException("scripts never block");
    }

    @Override
    public void resume(Predicate<Reply> work) {
        throw new IllegalStateException("scripts never block");
    }
}
