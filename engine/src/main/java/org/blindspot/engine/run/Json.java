package org.blindspot.engine.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The engine's JSON settings: one mapper, indented output for files people read. */
public final class Json {

    /** Compact, for JSON lines. */
    public static final ObjectMapper LINES = new ObjectMapper();
    /** Indented, for summary files. */
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }
}
