/**
 * File formats shared by the whole engine: NumPy's NPY and NPZ containers ({@link
 * org.blindspot.engine.io.Npy}, {@link org.blindspot.engine.io.Npz}, {@link
 * org.blindspot.engine.io.NpyArray}), the error every reader throws on a bad file ({@link
 * org.blindspot.engine.io.BadDataException}) and atomic file replacement ({@link
 * org.blindspot.engine.io.AtomicFiles}).
 *
 * <p>References: the NPY format, <a
 * href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>
 * (versions 1.0, 2.0 and 3.0); NPZ is a zip archive of {@code name.npy} entries, stored by {@code
 * numpy.savez} and deflated by {@code numpy.savez_compressed}.
 *
 * <p>Plain Java: nothing in this package touches ND4J.
 */
package org.blindspot.engine.io;
