package org.fraudplatform.history;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source whose connections refuse to prepare statements containing some SQL, a given number
 * of times: a database failing in the middle of a transaction.
 */
final class FaultyDataSource {

    private FaultyDataSource() {}

    /**
     * @param failures how many more statements containing {@code sqlFragment} fail; decremented on
     *     each failure
     */
    static DataSource failing(DataSource real, String sqlFragment, AtomicInteger failures) {
        return (DataSource)
                Proxy.newProxyInstance(
                        FaultyDataSource.class.getClassLoader(),
                        new Class<?>[] {DataSource.class},
                        (proxy, method, args) -> {
                            Object result = invoke(real, method, args);
                            if (method.getName().equals("getConnection")) {
                                return connection((Connection) result, sqlFragment, failures);
                            }
                            return result;
                        });
    }

    private static Connection connection(
            Connection real, String sqlFragment, AtomicInteger failures) {
        return (Connection)
                Proxy.newProxyInstance(
                        FaultyDataSource.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("prepareStatement")
                                    && ((String) args[0]).contains(sqlFragment)
                                    && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                throw new SQLException("injected failure: " + sqlFragment);
                            }
                            return invoke(real, method, args);
                        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
