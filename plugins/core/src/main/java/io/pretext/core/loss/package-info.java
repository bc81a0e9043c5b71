/** Backend-neutral losses: sample-contrastive, dimension-contrastive, reconstruction, classification. */
package io.pretext.core.loss;
