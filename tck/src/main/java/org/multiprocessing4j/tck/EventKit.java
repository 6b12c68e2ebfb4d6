package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;

/** {@link Event} between processes. */
public abstract class EventKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected EventKit() {
    }

    static void waitAndReport(Event e) throws InterruptedException {
        System.out.println("child waits");
        System.out.println("child released: " + e.await());
    }

    static void timeOutThenWait(Event e) throws InterruptedException {
        System.out.println("child timed wait: " + e.await(Duration.ofMillis(200)));
        System.out.println("child waits again");
        System.out.println("child second wait: " + e.await(PATIENCE) + ", isSet=" + e.isSet());
    }

    static void setFromChild(Event e) {
        e.set();
    }

    static void ownAndHandOff() throws Exception {
        handOff("event", new Event());
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("set() releases every waiter, in this process and in a child")
    void setReleasesAll() throws Exception {
        Event e = new Event();
        Process p = start(() -> waitAndReport(e));
        CompletableFuture<Boolean> here = inBackground(() -> e.await(PATIENCE));
        awaitOut("child waits");
        Thread.sleep(200);
        assertFalse(here.isDone(), "a wait returned before the event was set");
        e.set();
        awaitOut("child released: true");
        assertTrue(here.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(p.join(PATIENCE));
    }

    @Test
    @DisplayName("await(timeout) returns false while the event is clear, and true once a child sets it")
    void timeoutThenSetByChild() throws Exception {
        Event e = new Event();
        Process p = start(() -> timeOutThenWait(e));
        awaitOut("child timed wait: false");
        awaitOut("child waits again");
        run(() -> setFromChild(e));
        awaitOut("child second wait: true, isSet=true");
        assertTrue(p.join(PATIENCE));
        assertTrue(e.isSet());
        assertTrue(e.await(Duration.ZERO), "a set event made a wait wait");
    }

    @Test
    @DisplayName("clear() makes later waits block again")
    void clear() throws Exception {
        Event e = new Event();
        e.set();
        e.clear();
        assertFalse(e.isSet());
        assertFalse(e.await(Duration.ofMillis(100)));
        assertFalse(e.await(Duration.ZERO));
        run(() -> setFromChild(e));
        assertTrue(e.isSet());
    }

    @Test
    @DisplayName("a wait on an event whose owner process dies throws ProcessGoneException")
    void ownerDies() throws Exception {
        Process owner = start(EventKit::ownAndHandOff);
        Event e = takeHandOff("event", Event.class);
        assertFalse(e.isSet());
        killSoon(owner);
        assertThrows(ProcessGoneException.class, () -> e.await(PATIENCE));
        assertThrows(ProcessGoneException.class, e::set);
    }
}
