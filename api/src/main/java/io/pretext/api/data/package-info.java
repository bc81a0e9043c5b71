/** Examples of each modality, data-set metadata and table schemas. */
package io.pretext.api.data;
