/**
 * The backend conformance suite: {@link io.pretext.testkit.conformance.BackendConformanceSuite}, which
 * a backend module's test extends, with its op catalogue and a plain-Java reference optimizer.
 */
package io.pretext.testkit.conformance;
