/**
 * JMH benchmarks, one question per class (see bench/README.md):
 * {@link org.blindspot.bench.LossGradientBenchmark} compares ways of computing the loss and input
 * gradient of the same dense network, by hand ({@link org.blindspot.engine.model.DenseNetwork}), by
 * DL4J ({@link org.blindspot.bench.Dl4jClassifier}) and by SameDiff
 * ({@link org.blindspot.bench.SameDiffClassifier}); {@link org.blindspot.bench.SolverOverheadBenchmark}
 * measures what the batched L-BFGS-B solver costs per batched evaluation, excluding the objective.
 */
package org.blindspot.bench;
