package org.blindspot.engine.data;

/**
 * The MNIST files are not where they were looked for. The message lists where the locator looked
 * and says how to get the files and how to check them.
 */
public class DataNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataNotFoundException(String message) {
        super(message);
    }
}
