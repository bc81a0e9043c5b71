package io.pretext.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States how far users may build on a public type, as JUnit's {@code @API} does.
 *
 * <p>Every public top-level type of the api states its status (an ArchUnit rule in the
 * distribution module checks it). A nested type has the status of the type it is declared in
 * unless it states its own; a method may state a lower status than its type, for an experimental
 * addition to a stable type. There is no status per package: a reader sees the level where the type
 * is declared, and a new type never becomes stable by landing in a stable package. Kept at run time
 * so that tools can read it from a loaded class.
 */
@ApiStatus(ApiStatus.Status.STABLE)
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
