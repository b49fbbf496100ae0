/**
 * The paper's attack (Szegedy et al. 2014, section 4.1): for every image the smallest perturbation
 * that makes the classifier output a chosen label, found by box-constrained L-BFGS on the penalty
 * problem c * d(r) + CE(f(x + r), l) with a per-row search over c, many problems at once with
 * continuous batching; and the Gaussian-noise baseline.
 */
package org.blindspot.engine.attack;
