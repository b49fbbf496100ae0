/**
 * Blindspot's engine: the batched L-BFGS-B solver, the paper's models and their adapters, data,
 * attacks, training, the experiments of Szegedy et al. (2014), reports and the command line.
 */
package org.blindspot.engine;
