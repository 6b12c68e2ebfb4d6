package org.multiprocessing4j.internal.broker;

import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.spi.ConnectionBackend;
import org.multiprocessing4j.spi.PipeBackend;

/**
 * The broker's pipe: a {@link PipeServer} in the opening process, whose two ends are
 * {@link BrokerConnection}s.
 *
 * @param first  end 0
 * @param second end 1
 */
public record BrokerPipe(ConnectionBackend first, ConnectionBackend second) implements PipeBackend {

    /** {@return a new pipe hosted by this process, which holds both ends} */
    public static BrokerPipe open() {
        PipeServer server = new PipeServer(ProcessRuntime.current().identity());
        RemoteRef ref = RemoteRef.host(server);
        server.whenBothClosed(() -> ProcessRuntime.current().router().unregister(ref.object()));
        return new BrokerPipe(new BrokerConnection(ref, 0), new BrokerConnection(ref, 1));
    }
}
