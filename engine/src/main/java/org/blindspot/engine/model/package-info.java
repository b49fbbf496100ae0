/**
 * Classifiers the engine attacks and trains: the narrow {@link org.blindspot.engine.model.Classifier}
 * interface, dense networks computed by hand on ND4J into reusable buffers, the paper's model zoo
 * (Szegedy et al. 2014, Table 1), model files, and imports of networks saved by DL4J
 * ({@link org.blindspot.engine.model.Dl4jImport}) and Keras ({@link org.blindspot.engine.model.KerasImport}):
 * dense ones become dense networks, convolutional ones are run by DL4J behind
 * {@link org.blindspot.engine.model.Dl4jClassifier}.
 */
package org.blindspot.engine.model;
