package org.multiprocessing4j;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.multiprocessing4j.internal.manager.ProxyCore;

/**
 * Guards a proxy's {@code toString} and {@code hashCode} against a managed collection that holds
 * a proxy of itself: each proxy fetches a copy, whose nested proxy fetches a copy again, without
 * end. A proxy of an object already being printed or hashed on this thread stands for itself,
 * as Python prints {@code {...}} for a dict that holds itself.
 */
final class ProxyRecursion {
    private static final ThreadLocal<Set<Referent>> ACTIVE = ThreadLocal.withInitial(HashSet::new);

    /** A proxy's referent: proxies decoded apart are distinct objects of one referent. */
    private record Referent(ProxyCore core) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Referent other && core.sameReferent(other.core);
        }

        @Override
        public int hashCode() {
            return core.referentHash();
        }
    }

    private ProxyRecursion() {
    }

    static String print(ProxyCore core, String again, Supplier<String> body) {
        Set<Referent> active = ACTIVE.get();
        Referent r = new Referent(core);
        if (!active.add(r)) {
            return again;
        }
        try {
            return body.get();
        } finally {
            active.remove(r);
        }
    }

    static int hash(ProxyCore core, IntSupplier body) {
        Set<Referent> active = ACTIVE.get();
        Referent r = new Referent(core);
        if (!active.add(r)) {
            return 0;
        }
        try {
            return body.getAsInt();
        } finally {
            active.remove(r);
        }
    }
}
