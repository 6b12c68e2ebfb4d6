package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.ChildLauncher;

/**
 * An agent's side of starting child JVMs for the cluster's processes ({@link Launch}): it
 * starts each with this host's {@code java} and the agent's own class path (the user's classes
 * must be on it), joined to the cluster through this agent, and relays its streams. It keeps
 * the agent's entry in the registry of agents ({@link AgentRegistry}) up to date with the
 * number of JVMs it runs. A JVM whose process is gone (its control connection closed) is
 * killed.
 */
final class AgentLauncher {
    /** The key of the agent's launcher in Hazelcast's user context. */
    static final String KEY = "multiprocessing4j.agentLauncher";
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long DRAIN_SECONDS = 10;
    private final HazelcastInstance member;
    private final Sealer sealer;
    private final List<String> childOptions;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param member       the agent's member
     * @param sealer       the cluster's key
     * @param childOptions the system properties that join a child to the cluster through this agent
     */
    AgentLauncher(HazelcastInstance member, Sealer sealer, List<String> childOptions) {
        this.member = member;
        this.sealer = sealer;
        this.childOptions = List.copyOf(childOptions);
    }

    /** Puts it in the member's user context, for {@link AgentTask}, and registers the agent. */
    void install() {
        member.getUserContext().put(KEY, this);
        publish();
    }

    private synchronized void publish() {
        AgentRegistry.publish(member, sealer, running.get());
    }

    /**
     * Starts the JVM that a sealed request asks for.
     *
     * @param sealedRequest the request, as a {@link AgentTask} carried it
     * @return the sealed answer
     */
    byte[] launch(byte[] sealedRequest) {
        Launch.Answer answer;
        try {
            Launch.Request request = Launch.Request.decode(sealer.open(Sealer.Label.LAUNCH, sealedRequest, "a launch request"));
            answer = start(request);
        } catch (RuntimeException e) {
            answer = new Launch.Answer(-1, "the agent refused the request: " + e.getMessage());
        }
        return sealer.seal(Sealer.Label.LAUNCHED, answer.encode());
    }

    /**
     * Answers a sealed {@link AgentTask}: which of its classes the JVMs this agent starts
     * cannot load (they have its class path). Classes are looked up, never initialized.
     *
     * @param sealedNames the question, sealed
     * @return the missing names, sealed
     * @throws org.multiprocessing4j.AuthenticationException if the question is not sealed with the key
     */
    byte[] missingClasses(byte[] sealedNames) {
        Set<String> names = AgentTask.decodeNames(sealer.open(Sealer.Label.CLASSES, sealedNames, "a class check"));
        ClassLoader loader = AgentLauncher.class.getClassLoader();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(name);
            }
        }
        return sealer.seal(Sealer.Label.CLASSES_MISSING, AgentTask.encodeNames(missing));
    }

    private Launch.Answer start(Launch.Request request) {
        Map<Launch.Channel, Socket> sockets = new EnumMap<>(Launch.Channel.class);
        java.lang.Process child = null;
        try {
            for (Launch.Channel channel : Launch.Channel.values()) {
                Socket s = new Socket();
                sockets.put(channel, s);
                s.connect(new InetSocketAddress(request.relayHost(), request.relayPort()), CONNECT_TIMEOUT_MILLIS);
                s.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
                s.setTcpNoDelay(true);
                Launch.prove(sealer, request.id(), channel, s.getInputStream(), s.getOutputStream());
                s.setSoTimeout(0);
            }
            List<String> command = ChildLauncher.placedCommand(Path.of(System.getProperty("java.home"), "bin", "java"),
                    request.jvm(), childOptions, System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(request.jvm().environment());
            child = builder.start();
        } catch (IOException | RuntimeException e) {
            sockets.values().forEach(AgentLauncher::closeQuietly);
            return new Launch.Answer(-1, "the agent could not start " + request.jvm().name() + " for " + request.parent()
                    + ": " + e);
        }
        running.incrementAndGet();
        publish();
        relay(child, sockets, request.jvm().name());
        return new Launch.Answer(child.pid(), "");
    }

    private void relay(java.lang.Process child, Map<Launch.Channel, Socket> sockets, String name) {
        Socket stdio = sockets.get(Launch.Channel.STDIO);
        Socket stderr = sockets.get(Launch.Channel.STDERR);
        Socket control = sockets.get(Launch.Channel.CONTROL);
        Thread out = pump("stdout-" + name, child.getInputStream(), stdio);
        Thread err = pump("stderr-" + name, child.getErrorStream(), stderr);
        daemon("stdin-" + name, () -> {
            try (InputStream in = stdio.getInputStream(); OutputStream to = child.getOutputStream()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    to.write(buffer, 0, n);
                    to.flush(); // the child's stdin is buffered: each frame must reach it now
                }
            } catch (IOException e) {
                // the child's stdin or the connection closed: either way the child's lifeline ends
            }
        });
        daemon("control-" + name, () -> {
            try {
                InputStream in = control.getInputStream();
                int signal;
                while ((signal = in.read()) >= 0) {
                    if (signal == Launch.TERMINATE) {
                        child.toHandle().destroy();
                    } else if (signal == Launch.KILL) {
                        child.toHandle().destroyForcibly();
                    }
                }
            } catch (IOException e) {
                // closed: the process that asked for the child is gone, or the child has ended
            }
            if (child.isAlive()) {
                child.toHandle().destroyForcibly(); // no orphan: its parent is gone
            }
        });
        daemon("exit-" + name, () -> {
            int exit;
            try {
                exit = child.waitFor();
                out.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
                err.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
            } catch (InterruptedException e) {
                return;
            }
            try {
                OutputStream to = control.getOutputStream();
                to.write(new byte[] {(byte) (exit >>> 24), (byte) (exit >>> 16), (byte) (exit >>> 8), (byte) exit});
                to.flush();
            } catch (IOException e) {
                // the process is gone; nobody to tell
            }
            sockets.values().forEach(AgentLauncher::closeQuietly);
            running.decrementAndGet();
            publish();
        });
    }

    private static Thread pump(String name, InputStream from, Socket to) {
        return daemon(name, () -> {
            try (from) {
                from.transferTo(to.getOutputStream());
            } catch (IOException e) {
                // the connection closed: the process is gone, the child's output goes nowhere
            }
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // closed already
            }
        });
    }

    private static Thread daemon(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name("multiprocessing4j-agent-" + name).start(body);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
