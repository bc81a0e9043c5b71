package io.pretext.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** States how far users may build on a public type, as JUnit's {@code @API} does. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ApiStatus {
    /** @return the stability of the annotated element */
    Status value();

    /** Stability levels. */
    enum Status {
        /** Changes only with a new {@link PretextApi#VERSION}. */
        STABLE,
        /** May change in a minor release; feedback wanted. */
        EXPERIMENTAL
    }
}
