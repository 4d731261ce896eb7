package org.fraudplatform.api.people;

/** A person who signed in: the name every action of theirs is audited under, and their role. */
public record Person(String name, Role role) {

    /** How the audit trail names the person: {@code person:<name>}. */
    public String auditName() {
        return "person:" + name;
    }

    /** Whether the person's role grants the permission. */
    public boolean may(Permission permission) {
        return role.may(permission);
    }
}
