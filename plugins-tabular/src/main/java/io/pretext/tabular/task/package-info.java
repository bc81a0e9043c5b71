/** Pretext tasks for tables: SCARF, VIME, the denoising autoencoder and a supervised baseline. */
package io.pretext.tabular.task;
