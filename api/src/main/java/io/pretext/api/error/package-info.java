/** Exceptions, one type per kind of failure a user can act on. */
package io.pretext.api.error;
