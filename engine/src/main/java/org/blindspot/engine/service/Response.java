package org.blindspot.engine.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.blindspot.engine.run.Json;

/**
 * What a route answers: an HTTP status, a content type and the body, built whole before any of it
 * is sent (so that a failure can still become a 500).
 */
record Response(int status, String contentType, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";
    static final String NPY = "application/octet-stream";

    /** A JSON body. */
    static Response json(int status, Object value) {
        try {
            return new Response(status, JSON, Json.LINES.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"error": message}}. */
    static Response error(int status, String message) {
        return json(status, Map.of("error", message));
    }
}
