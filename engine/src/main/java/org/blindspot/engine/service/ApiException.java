package org.blindspot.engine.service;

import java.util.Map;

/**
 * A request the service refuses: an HTTP status (4xx) and one message that says what was wrong,
 * sent as {@code {"error": message}}.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    /** With response headers, e.g. {@code Allow} on a 405 or {@code WWW-Authenticate} on a 401. */
    ApiException(int status, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    /** 400: the request is malformed or does not fit the model. */
    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** 404: no such model, job or endpoint. */
    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** The HTTP status. */
    int status() {
        return status;
    }

    /** Extra response headers. */
    Map<String, String> headers() {
        return headers;
    }
}
