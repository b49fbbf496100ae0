package org.blindspot.engine.service;

/**
 * Settings of the HTTP service, checked when built.
 *
 * @param host            address to listen on; {@code 127.0.0.1} (loopback only) by default
 * @param port            TCP port; 0 picks a free one
 * @param jobs            jobs that run at the same time
 * @param queue           jobs that may wait; a submission beyond it is refused with 429
 * @param maxRequestBytes largest request body; a larger one is refused with 413 before it is read
 * @param maxImages       most images in one job (413 beyond)
 * @param keepFinished    finished jobs kept in memory; the oldest is forgotten beyond it
 * @param token           when not null, every request needs {@code Authorization: Bearer <token>}
 */
public record ServiceOptions(String host, int port, int jobs, int queue, long maxRequestBytes, int maxImages,
                             int keepFinished, String token) {

    /** Default port of {@code blindspot serve}. */
    public static final int DEFAULT_PORT = 8765;

    public ServiceOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: must lie in 0..65535, got " + port);
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs: must be >= 1, got " + jobs);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue: must be >= 0, got " + queue);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes: must be >= 1, got " + maxRequestBytes);
        }
        if (maxImages < 1) {
            throw new IllegalArgumentException("maxImages: must be >= 1, got " + maxImages);
        }
        if (keepFinished < 1) {
            throw new IllegalArgumentException("keepFinished: must be >= 1, got " + keepFinished);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token: must not be blank (leave it out for no token)");
        }
    }

    /** Loopback, port 8765, one job at a time, 16 waiting, 64 MiB requests, 100,000 images, 100 kept, no token. */
    public static ServiceOptions defaults() {
        return new ServiceOptions("127.0.0.1", DEFAULT_PORT, 1, 16, 64L << 20, 100_000, 100, null);
    }

    public ServiceOptions withHost(String value) {
        return new ServiceOptions(value, port, jobs, queue, maxRequestBytes, maxImages, keepFinished, token);
    }

    public ServiceOptions withPort(int value) {
        return new ServiceOptions(host, value, jobs, queue, maxRequestBytes, maxImages, keepFinished, token);
    }

    public ServiceOptions withJobs(int value) {
        return new ServiceOptions(host, port, value, queue, maxRequestBytes, maxImages, keepFinished, token);
    }

    public ServiceOptions withQueue(int value) {
        return new ServiceOptions(host, port, jobs, value, maxRequestBytes, maxImages, keepFinished, token);
    }

    public ServiceOptions withMaxRequestBytes(long value) {
        return new ServiceOptions(host, port, jobs, queue, value, maxImages, keepFinished, token);
    }

    public ServiceOptions withMaxImages(int value) {
        return new ServiceOptions(host, port, jobs, queue, maxRequestBytes, value, keepFinished, token);
    }

    public ServiceOptions withKeepFinished(int value) {
        return new ServiceOptions(host, port, jobs, queue, maxRequestBytes, maxImages, value, token);
    }

    public ServiceOptions withToken(String value) {
        return new ServiceOptions(host, port, jobs, queue, maxRequestBytes, maxImages, keepFinished, value);
    }

    /**
     * Threads each job's solver gets: the processors shared among the concurrent jobs (the solver's iterates do not
     * depend on it; see {@link org.blindspot.engine.attack.AttackOptions#threads()}).
     */
    int solverThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    }
}
