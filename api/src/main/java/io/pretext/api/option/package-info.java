/** The option model: each provider declares its options, recipes are validated against them. */
package io.pretext.api.option;
