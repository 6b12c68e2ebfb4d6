package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.ProcessStartTime;

/**
 * The member of a tree whose root has not joined the cluster itself: when a child is the first
 * process of its tree to need the cluster, it starts this JVM rather than a member inside
 * itself, which would take the cluster with it when that child ends. It lives as long as the
 * tree's root, then removes the tree's file and exits. It is not a child of the tree (core does
 * not track it); it gets the key on its stdin, never on its command line, and says its address
 * on stdout ({@code address HOST:PORT}).
 */
public final class TreeAgent {
    private static final String READY = "address ";

    private TreeAgent() {
    }

    /**
     * A started tree agent.
     *
     * @param address   where clients connect
     * @param pid       its pid
     * @param startTime its start time
     */
    record Started(String address, long pid, long startTime) {
    }

    /**
     * Starts the tree agent of this process's tree and waits until it is a member.
     *
     * @param clusterName the cluster's name
     * @param bind        the address to bind
     * @param port        the first port to try
     * @param authkey     the cluster's key
     * @return the agent
     * @throws IllegalStateException if it did not start (with what it printed)
     */
    static Started spawn(String clusterName, String bind, int port, byte[] authkey) {
        ProcessRuntime.RootInfo root = ProcessRuntime.current().root();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TreeAgent.class.getName());
        cmd.add(Long.toString(root.pid()));
        cmd.add(Long.toString(root.startTime()));
        cmd.add(clusterName);
        cmd.add(bind);
        cmd.add(Integer.toString(port));
        StringBuilder said = new StringBuilder();
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((Base64.getEncoder().encodeToString(authkey) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(READY)) {
                    out.close();
                    return new Started(line.substring(READY.length()).trim(), p.pid(), ProcessStartTime.of(p.pid()));
                }
                said.append(line).append('\n');
            }
            p.waitFor();
            throw new IllegalStateException("the Hazelcast member of this process tree did not start (exit code "
                    + p.exitValue() + "): " + said);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Hazelcast member of this process tree: " + e + " " + said, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Hazelcast member of this process tree started", e);
        }
    }

    /**
     * Runs the tree's member until the tree's root is gone.
     *
     * @param args the root's pid and start time, the cluster's name, the address to bind, the
     *             first port; the key comes on stdin, in base 64
     * @throws IOException if stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: " + TreeAgent.class.getName() + " ROOT_PID ROOT_START CLUSTER BIND PORT < key");
            System.exit(2);
        }
        ProcessRuntime.RootInfo root = new ProcessRuntime.RootInfo(Long.parseLong(args[0]), Long.parseLong(args[1]));
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        Sealer sealer = new Sealer(Base64.getDecoder().decode(line == null ? "" : line.trim()));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                Configs.member(args[2], args[3], Integer.parseInt(args[4]), List.of(), sealer));
        SessionWatch watch = SessionWatch.install(member, sealer);
        var address = member.getCluster().getLocalMember().getAddress();
        System.out.println(READY + address.getHost() + ":" + address.getPort());
        System.out.flush();
        try {
            Optional<ProcessHandle> rootProcess = ProcessHandle.of(root.pid())
                    .filter(h -> ProcessStartTime.of(root.pid()) == root.startTime());
            rootProcess.ifPresent(h -> h.onExit().join());
            TreeFile.delete(root);
            watch.close();
            member.getLifecycleService().terminate();
        } finally {
            // Whatever failed on the way out, Hazelcast's threads (not daemons) must not keep
            // this JVM alive after its tree.
            System.exit(0);
        }
    }
}
