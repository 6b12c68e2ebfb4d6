package org.multiprocessing4j;

import java.io.IOException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.broker.RemoteRef;
import org.multiprocessing4j.internal.manager.AddressForm;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.manager.ObjectTable;
import org.multiprocessing4j.internal.manager.Registrations;
import org.multiprocessing4j.internal.manager.RemoteLink;
import org.multiprocessing4j.internal.manager.RemoteServer;
import org.multiprocessing4j.internal.manager.ServerReady;
import org.multiprocessing4j.internal.manager.TreeLink;

/**
 * What a manager's server process runs: it hosts the {@link ObjectTable} as an object of its
 * router (and, for a manager served at an address, behind a {@link RemoteServer}), tells its
 * starter where it serves through {@code ready}, and serves until asked to shut down.
 *
 * @param registrations the registered types
 * @param ready         the end the starter reads the {@link ServerReady} from
 * @param address       where remote clients connect, or null to serve only the tree
 * @param authkey       the key remote clients prove, or null for the tree's
 * @param allowRemote   whether {@code address} may be one other machines reach
 */
record ManagerProcess(Registrations registrations, Connection ready, @Nullable AddressForm address,
                      byte @Nullable [] authkey, boolean allowRemote) implements ProcessTarget {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public void run() throws Exception {
        ObjectTable table = new ObjectTable(registrations, new ManagedPrimitives(),
                ProcessRuntime.current().context().codec());
        ManagerServer server = new ManagerServer(table);
        RemoteServer remote = null;
        if (address != null) {
            try {
                remote = RemoteServer.start(table, Listener.builder().address(address.address())
                        .authkey(authkey != null ? authkey : ProcessRuntime.current().authkey())
                        .allowRemote(allowRemote).build(), Multiprocessing.currentProcess().name());
            } catch (IOException | IllegalArgumentException e) {
                ready.send(new ServerReady(null, null, e.getMessage()));
                ready.close();
                return;
            }
        }
        RemoteRef ref = RemoteRef.host(server);
        if (remote != null) {
            RemoteLink.servedHere(AddressForm.of(remote.address()),
                    new TreeLink(ref, Multiprocessing.currentProcess().name()));
        }
        ready.send(new ServerReady(ref, remote == null ? null : AddressForm.of(remote.address()), null));
        ready.close();
        try {
            server.awaitShutdown();
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }
}
