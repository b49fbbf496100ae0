/**
 * JMH benchmarks, one question per class. {@link org.blindspot.bench.SolverOverheadBenchmark}: what the batched
 * L-BFGS-B solver costs per batched evaluation, excluding the objective.
 */
package org.blindspot.bench;
