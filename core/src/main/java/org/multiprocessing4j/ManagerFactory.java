package org.multiprocessing4j;

import java.io.Serializable;

/**
 * Makes the objects of a type registered with a {@link Manager}, in the manager's server
 * process: Python's {@code callable} of {@code BaseManager.register}. It travels to the server
 * when the manager starts, so it is serializable (a lambda or method reference assigned to this
 * type is).
 * <pre>{@code
 * Manager manager = Manager.builder()
 *         .register(Counter.class, args -> new CounterImpl((Integer) args[0]))
 *         .build();
 * }</pre>
 *
 * @param <T> the registered type
 * @since 0.1
 */
@FunctionalInterface
public interface ManagerFactory<T> extends Serializable {

    /**
     * Makes one object, in the server process.
     *
     * @param args the arguments given to {@link Manager#create}, decoded in the server
     * @return the new object, an instance of the registered type
     * @throws Exception anything: it is thrown again by {@link Manager#create} in the caller,
     *                   with the server's stack trace
     */
    T create(Object[] args) throws Exception;
}
