package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.ClassesNeeded;
import org.multiprocessing4j.spi.ChildPlacement;
import org.multiprocessing4j.spi.JvmRequest;
import org.multiprocessing4j.spi.PlacedJvm;

/** Which classes a task needs, and the pool's check of them against the hosts of a placement. */
class PoolClassCheckTest {

    record Payload(int n, Inner inner) implements Serializable {
    }

    record Inner(String s) implements Serializable {
    }

    @Test
    void classesNeededAreTheLambdasHomeAndWhatItCapturesButNotTheJdks() {
        Payload p = new Payload(1, new Inner("x"));
        PoolFunction<Integer, String> f = x -> p + ":" + x;
        Set<String> names = ClassesNeeded.of(f);
        assertTrue(names.containsAll(Set.of(PoolClassCheckTest.class.getName(), Payload.class.getName(),
                Inner.class.getName(), PoolFunction.class.getName())), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("java.")), names.toString());
        assertEquals(Set.of(), ClassesNeeded.of(List.of(1, "two", 3.0)));
        assertEquals(Set.of(Inner.class.getName()), ClassesNeeded.of(new ArrayList<>(List.of(new Inner("y")))));
        assertEquals(Set.of(), ClassesNeeded.of(new Object())); // not serializable: the codec says so itself
    }

    /** Hosts "a" and "b"; "b" lacks {@link Inner}. Counts the questions. */
    static final class TwoHosts implements ChildPlacement {
        final List<Set<String>> asked = new ArrayList<>();

        @Override
        public @Nullable PlacedJvm place(JvmRequest request) {
            return null;
        }

        @Override
        public boolean checksClasses() {
            return true;
        }

        @Override
        public Map<String, Set<String>> missingClasses(@Nullable String host, Set<String> classNames) {
            asked.add(classNames);
            return classNames.contains(Inner.class.getName()) && (host == null || host.equals("b"))
                    ? Map.of("b", Set.of(Inner.class.getName())) : Map.of();
        }
    }

    @Test
    void aClassMissingOnAHostFailsTheSubmissionNamingBoth() {
        TwoHosts hosts = new TwoHosts();
        PoolClassCheck check = new PoolClassCheck(hosts, null);
        Inner inner = new Inner("z");
        PoolFunction<Integer, String> needsInner = x -> inner.s() + x;
        CodecException e = assertThrows(CodecException.class, () -> check.check(needsInner, 1, List.of(1, 2)));
        assertTrue(e.getMessage().contains("host b lacks class " + Inner.class.getName()), e.getMessage());
        // failed: asked again (still missing)
        assertThrows(CodecException.class, () -> check.check(needsInner, 1, List.of(3)));
        // an argument of the missing class, with a function every host has
        PoolFunction<Object, String> plain = String::valueOf;
        e = assertThrows(CodecException.class, () -> check.check(plain, 2, List.of(new Inner("arg"))));
        assertTrue(e.getMessage().contains(Inner.class.getName()), e.getMessage());
        // the context names host a: nothing missing there
        new PoolClassCheck(hosts, "a").check(needsInner, 1, List.of(1));
    }

    @Test
    void eachFunctionAndArgumentClassIsCheckedOnce() {
        TwoHosts hosts = new TwoHosts();
        PoolClassCheck check = new PoolClassCheck(hosts, null);
        Payload p = new Payload(2, null);
        PoolFunction<Integer, String> f = x -> p.n() + ":" + x;
        check.check(f, 7, List.of(1, 2, 3));
        int questions = hosts.asked.size();
        assertEquals(1, questions);
        check.check(f, 7, List.of(4, 5));
        assertEquals(questions, hosts.asked.size(), "the same function and argument classes were asked about again");
        PoolFunction<Integer, Integer> g = x -> x + 1; // nothing but this test class and PoolFunction, found already
        check.check(g, 8, List.of(9));
        assertEquals(questions, hosts.asked.size(), "classes found on every host were asked about again");
        Box box = new Box(1);
        PoolFunction<Integer, Integer> h = x -> x + box.hashCode();
        check.check(h, 9, List.of(9));
        assertEquals(questions + 1, hosts.asked.size());
        assertEquals(Set.of(Box.class.getName()), hosts.asked.getLast());
    }

    record Box(Object content) implements Serializable {
    }

    record Listed(List<Integer> numbers) implements Serializable {
    }

    enum Colour { RED, GREEN }

    record Tagged(Colour colour, int[] counts, String[] names, Inner inner) implements Serializable {
    }

    static class Open implements Serializable {
        private static final long serialVersionUID = 1L;
        int n;
    }

    @Test
    void aValueWhoseClassFixesWhatItNeedsIsKnownByItsClass() {
        for (Class<?> fixed : List.of(Integer.class, String.class, int[].class, String[].class, Colour.class,
                Payload.class, Inner.class, Tagged.class, java.time.LocalDate.class, java.math.BigDecimal.class)) {
            assertTrue(ClassesNeeded.fixedByClass(fixed), fixed.getName());
        }
        for (Class<?> open : List.of(ArrayList.class, Object[].class, Box.class, Listed.class, Open.class,
                Object.class, java.util.HashMap.class, java.time.Clock.systemUTC().getClass(),
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(1)).getClass())) {
            assertFalse(ClassesNeeded.fixedByClass(open), open.getName());
        }
        assertEquals(Set.of(Tagged.class.getName(), Colour.class.getName(), Inner.class.getName()),
                ClassesNeeded.ofClass(Tagged.class));
        assertEquals(Set.of(), ClassesNeeded.ofClass(Integer.class));
        assertThrows(IllegalArgumentException.class, () -> ClassesNeeded.ofClass(ArrayList.class));
    }

    @Test
    void aFixedClassIsCheckedByWhatItsClassMayHoldNotByOneValue() {
        TwoHosts hosts = new TwoHosts();
        PoolClassCheck check = new PoolClassCheck(hosts, null);
        PoolFunction<Object, String> plain = String::valueOf;
        // this value holds no Inner, but the next Payload may: host b lacks Inner, so it fails now
        CodecException e = assertThrows(CodecException.class, () -> check.check(plain, 1, List.of(new Payload(1, null))));
        assertTrue(e.getMessage().contains("host b lacks class " + Inner.class.getName()), e.getMessage());
        new PoolClassCheck(hosts, "a").check(plain, 1, List.of(new Payload(1, null)));
    }

    @Test
    void aListOrABoxIsLookedThroughEveryTimeAndOnlyNewClassesAreAskedAbout() {
        TwoHosts hosts = new TwoHosts();
        PoolClassCheck check = new PoolClassCheck(hosts, null);
        PoolFunction<Object, String> plain = String::valueOf;
        check.check(plain, 1, List.of(new ArrayList<>(List.of(1, 2))));
        check.check(plain, 1, List.of(new Box(1)));
        int questions = hosts.asked.size();
        check.check(plain, 1, List.of(new Box("two"), new ArrayList<>(List.of(3))));
        assertEquals(questions, hosts.asked.size(), "classes already found everywhere were asked about again");
        CodecException e = assertThrows(CodecException.class,
                () -> check.check(plain, 1, List.of(new ArrayList<>(List.of(new Inner("late"))))));
        assertTrue(e.getMessage().contains("host b lacks class " + Inner.class.getName()), e.getMessage());
        e = assertThrows(CodecException.class, () -> check.check(plain, 1, List.of(new Box(new Inner("boxed")))));
        assertTrue(e.getMessage().contains(Inner.class.getName()), e.getMessage());
        assertEquals(Set.of(Inner.class.getName()), hosts.asked.getLast(), "only the new class is asked about");
    }
}
