package org.fraudplatform.rules.testing;

import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;

/** The packaged starter ruleset, compiled once per test JVM. */
public final class PackagedRuleset {

    public static final CompiledRuleset RULESET = RuleEngine.compile(RulesetSource.packaged());

    private PackagedRuleset() {}
}
