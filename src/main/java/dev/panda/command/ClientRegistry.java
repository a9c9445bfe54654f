package dev.panda.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connected clients, by id, in connection order. Store thread only. */
public final class ClientRegistry {
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private long nextId = 1;

    public long nextId() {
        return nextId++;
    }

    public void add(Client client) {
        clients.put(client.id(), client);
    }

    public void remove(Client client) {
        clients.remove(client.id());
    }

    public int size() {
        return clients.size();
    }

    public Client get(long id) {
        return clients.get(id);
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(clients.values());
    }
}
