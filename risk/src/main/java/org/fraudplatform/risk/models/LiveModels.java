package org.fraudplatform.risk.models;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The models scoring now, replaceable while the topology runs: a payment is scored with the pair
 * that is live when its scoring starts.
 */
public final class LiveModels {

    /** The champion decides (through the rules); the shadow is recorded. Either may be null. */
    public record Pair(LoadedModel champion, LoadedModel shadow) {}

    private final AtomicReference<Pair> live = new AtomicReference<>(new Pair(null, null));

    public Pair get() {
        return live.get();
    }

    public void set(LoadedModel champion, LoadedModel shadow) {
        live.set(new Pair(champion, shadow));
    }
}
