/**
 * Stateless batched numeric operations of the L-BFGS-B solver (Byrd, Lu, Nocedal and Zhu 1995).
 *
 * <p>Each operation is one class with three faces: a batched entry point on {@link
 * org.nd4j.linalg.api.ndarray.INDArray} with documented shapes ({@code [B, n]} points, {@code [B, m, n]}
 * histories), a row-level method on the host arrays of one row (what the solver calls from its per-row
 * state machine, so that the per-row sequential work costs no ND4J operation at all), and a plain-Java
 * {@code reference} on {@code double[][]}, written independently and as simply as possible, that the
 * tests compare against.
 *
 * <p>Conventions shared by every kernel: bounds are per element, {@code +/-Infinity} means unbounded;
 * a limited-memory history of capacity {@code m} is stored as a ring of physical slots (slot of the
 * {@code j}-th oldest pair is {@code (head + j) % m}, {@code j < col}); vectors in the compact space have
 * the fixed length {@code 2m}, the {@code Y} part in {@code [0, m)} and the {@code S} part in {@code [m, 2m)},
 * of which only the first {@code col} entries of each half are meaningful (the rest is zero).
 */
package org.blindspot.kernels;
