/** Parameters, batches and the functions backends compile: the vocabulary of model code. */
package io.pretext.api.model;
