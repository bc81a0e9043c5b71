/** Optimizer specifications and learning-rate schedules, implemented identically by every training backend. */
package io.pretext.api.optim;
