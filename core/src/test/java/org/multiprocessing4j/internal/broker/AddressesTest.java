package org.multiprocessing4j.internal.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    @DisplayName("a process's parent and children are its neighbours; itself, siblings and grandchildren are not")
    void neighbours() {
        assertTrue(Addresses.isNeighbour("", "1"));
        assertTrue(Addresses.isNeighbour("1", ""));
        assertTrue(Addresses.isNeighbour("1", "1:2"));
        assertTrue(Addresses.isNeighbour("1:2", "1"));
        assertFalse(Addresses.isNeighbour("", ""));
        assertFalse(Addresses.isNeighbour("1", "1"));
        assertFalse(Addresses.isNeighbour("1", "2"));
        assertFalse(Addresses.isNeighbour("", "1:2"));
        assertFalse(Addresses.isNeighbour("1:2", ""));
        assertFalse(Addresses.isNeighbour("1:2", "1:3"));
        assertFalse(Addresses.isNeighbour("1", "11"));
        assertFalse(Addresses.isNeighbour("11", "1"));
    }
}
