package dev.panda.command;

import dev.panda.protocol.Reply;

/**
 * Executes one command whose arity has been checked. {@code argv[0]} is the command name as
 * the client sent it. Store thread only.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client client, byte[][] argv, Reply reply);
}
