package org.fraudplatform.platform.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the test classes that share the embedded platform ({@link SharedPlatform}) first and one
 * after the other, and tells the platform how many they are, so that it stops after the last of
 * them instead of running idle beside every later test. The other classes keep their order. Named
 * in {@code junit-platform.properties}.
 */
public final class SharedPlatformFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(d -> sharesThePlatform(d) ? 0 : 1));
        SharedPlatform.expectClasses(
                (int)
                        context.getClassDescriptors().stream()
                                .filter(SharedPlatformFirst::sharesThePlatform)
                                .count());
    }

    private static boolean sharesThePlatform(ClassDescriptor d) {
        for (Field f : d.getTestClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == SharedPlatform.class) {
                return true;
            }
        }
        return false;
    }
}
