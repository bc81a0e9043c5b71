/** Column encodings shared by every tabular task: standardization, one-hot, missing-value indicators. */
package io.pretext.tabular.encoding;
