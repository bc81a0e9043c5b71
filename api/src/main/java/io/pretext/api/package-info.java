/**
 * The six service-provider interfaces of Pretext ({@link io.pretext.api.Backend},
 * {@link io.pretext.api.Encoder}, {@link io.pretext.api.PretextTask}, {@link io.pretext.api.Augmentation},
 * {@link io.pretext.api.Loss}, {@link io.pretext.api.DataSource}) and the registry through which
 * components reach each other by id. Depends on the JDK only.
 */
package io.pretext.api;
