/**
 * The data the engine attacks: MNIST in its original IDX files, read into an immutable {@link
 * org.blindspot.engine.data.Dataset}.
 *
 * <ul>
 *   <li>{@link org.blindspot.engine.data.IdxReader} / {@link org.blindspot.engine.data.IdxWriter}:
 *       the IDX format (LeCun et al., "THE MNIST DATABASE of handwritten digits"), raw or gzip;
 *       every malformed file is a {@link org.blindspot.engine.io.BadDataException} naming the file.
 *   <li>{@link org.blindspot.engine.data.MnistLocator}: where the four files are ({@code --data},
 *       {@code BLINDSPOT_DATA}, {@code ~/.cache/blindspot/mnist}).
 *   <li>{@link org.blindspot.engine.data.Mnist}: loads a {@link org.blindspot.engine.data.Split}
 *       (train, test, and the paper's disjoint halves P1 and P2), checking SHA-256 sums.
 * </ul>
 *
 * <p>Plain Java; only {@link org.blindspot.engine.data.Dataset#features} and {@link
 * org.blindspot.engine.data.Dataset#oneHot} create ND4J arrays.
 */
package org.blindspot.engine.data;
