package org.fraudplatform.platform.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the test classes that share the embedded platform ({@link SharedPlatform}) first and one
 * after the other, and tells the platform how many they are, so that it stops after the last of
 * them instead of running idle beside every later test. The fault suites tagged {@code slow} come
 * next, then the other classes in their order. Named in {@code junit-platform.properties}.
 *
 * <p>The integration tests run in two lanes (the failsafe configuration of this module). The
 * classes that share the platform are {@code SAME_THREAD}: they run in this order in the lane that
 * started the run, while the other lane takes the classes with a platform of their own from the
 * front of this order, the slow ones first; the first lane, once done with the shared ones, takes
 * them from the back. So the run does not end with one lane waiting for a long fault suite.
 */
public final class SharedPlatformFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        for (ClassDescriptor d : context.getClassDescriptors()) {
            if (sharesThePlatform(d) && !inTheFirstLane(d)) {
                // run concurrently, it would start or stop the shared platform under another class
                throw new IllegalStateException(
                        d.getTestClass().getName()
                                + " shares the embedded platform but is not marked"
                                + " @Execution(value = SAME_THREAD, reason = SharedPlatform.LANE)");
            }
        }
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(d -> sharesThePlatform(d) ? 0 : isSlow(d) ? 1 : 2));
        SharedPlatform.expectClasses(
                (int)
                        context.getClassDescriptors().stream()
                                .filter(SharedPlatformFirst::sharesThePlatform)
                                .count());
    }

    private static boolean inTheFirstLane(ClassDescriptor d) {
        return d.findAnnotation(Execution.class)
                .map(e -> e.value() == ExecutionMode.SAME_THREAD)
                .orElse(false);
    }

    /** A fault suite tagged {@code slow}: the longest classes of the run. */
    private static boolean isSlow(ClassDescriptor d) {
        return d.findRepeatableAnnotations(Tag.class).stream()
                .anyMatch(t -> t.value().equals("slow"));
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
