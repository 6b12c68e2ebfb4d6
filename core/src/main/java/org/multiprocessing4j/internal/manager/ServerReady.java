package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.RemoteRef;

/**
 * What a manager's server process tells the process that started it, once: where it serves,
 * or why it cannot.
 *
 * @param server  the server's handle in the tree, or null on failure
 * @param address the address remote clients connect to, or null if it serves only its tree
 * @param error   why the server cannot serve, or null
 */
public record ServerReady(@Nullable RemoteRef server, @Nullable AddressForm address, @Nullable String error)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
