package org.fraudplatform.api.people;

/** A person who signed in: the name every action of theirs is audited under, and their role. */
public record Person(String name, Role role) {}
