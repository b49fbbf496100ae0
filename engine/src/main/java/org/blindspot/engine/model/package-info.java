/**
 * Classifiers the engine attacks and trains: the narrow {@link org.blindspot.engine.model.Classifier}
 * interface, dense networks computed by hand on ND4J into reusable buffers, the paper's model zoo
 * (Szegedy et al. 2014, Table 1) and model files.
 */
package org.blindspot.engine.model;
