package dev.panda.command.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * An ACL user: whether it may authenticate, its password hashes (SHA-256, lowercase hex), and
 * its selectors, the root one first. Names and patterns are bytes held as ISO-8859-1 text.
 *
 * <p>Store thread only.
 */
public final class AclUser {
    final String name;
    boolean enabled;
    boolean nopass;
    /** 0: neither flag, 1: sanitize-payload, 2: skip-sanitize-payload. */
    int sanitize;
    List<String> passwords = new ArrayList<>();
    List<AclSelector> selectors = new ArrayList<>();
    /** The root selector allows every command, key and channel: the check is skipped. */
    boolean unrestricted;

    AclUser(String name, boolean allChannelsByDefault) {
        this.name = name;
        selectors.add(new AclSelector(true, allChannelsByDefault));
    }

    public String name() {
        return name;
    }

    AclSelector root() {
        return selectors.get(0);
    }

    /** Takes every rule of {@code other} (not its name), as Redis's ACLCopyUser. */
    void copyFrom(AclUser other) {
        enabled = other.enabled;
        nopass = other.nopass;
        sanitize = other.sanitize;
        passwords = new ArrayList<>(other.passwords);
        selectors = new ArrayList<>();
        other.selectors.forEach(s -> selectors.add(s.copy()));
        refresh();
    }

    void refresh() {
        AclSelector r = root();
        unrestricted = r.allCommands && r.allKeys && r.allChannels;
    }

    /** The nopass flag alone: AUTH with only a password is an error while the default user has it. */
    public boolean needsNoPasswordFlag() {
        return nopass;
    }

    /** Whether a client authenticated as this user may skip AUTH (the default user with nopass). */
    public boolean needsNoPassword() {
        return nopass && enabled;
    }
}
