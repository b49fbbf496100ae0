package org.blindspot.engine.io;

/**
 * A file or stream that does not hold what it should: wrong magic number, truncated data, a shape
 * that disagrees with the data, a checksum that does not match.
 *
 * <p>The message always starts with the file (or stream) name, then says what was found and what
 * was expected, for example {@code "t10k-labels-idx1-ubyte.gz: truncated: header says 10000 labels
 * but the file holds 9996 bytes of data"}.
 */
public class BadDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source the file or stream name that leads the message
     * @param problem what was found and what was expected
     */
    public BadDataException(String source, String problem) {
        super(source + ": " + problem);
    }

    /**
     * @param source the file or stream name that leads the message
     * @param problem what was found and what was expected
     * @param cause the low-level error (an {@link java.io.IOException} from a decompressor, say)
     */
    public BadDataException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
