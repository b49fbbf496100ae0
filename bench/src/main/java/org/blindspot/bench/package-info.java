/**
 * JMH benchmarks, one question per class, and the adapters they compare: the same dense network
 * behind the engine's {@link org.blindspot.engine.model.Classifier} interface, computed by hand
 * ({@link org.blindspot.engine.model.DenseNetwork}), by DL4J ({@link org.blindspot.bench.Dl4jClassifier})
 * and by SameDiff ({@link org.blindspot.bench.SameDiffClassifier}). See bench/README.md.
 */
package org.blindspot.bench;
