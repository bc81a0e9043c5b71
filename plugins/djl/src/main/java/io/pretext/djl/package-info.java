/**
 * Backend {@code djl}: the op layer run eagerly on DJL's PyTorch engine. Classes mirror the
 * TensorFlow backend's: {@link io.pretext.djl.DjlBackend} (provider), session, ops, programs,
 * types; plus {@code StepScope} and {@code HostArena}, which give every step its own NDManager and
 * keep arrays made from Java memory alive until the step is done.
 */
package io.pretext.djl;
