package org.blindspot.engine.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service: the JDK's {@link HttpServer} with a small pool of request threads in front of
 * {@link Routes}. Here are the checks every request passes before its route (the bearer token, the
 * size of the body) and the mapping of failures to answers: an {@link ApiException} becomes its
 * status and {@code {"error": ...}}, anything else a 500 with its message, and the server goes on.
 */
public final class BlindspotServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlindspotServer.class);
    private static final int REQUEST_THREADS = 4;

    private final ServiceOptions options;
    private final HttpServer server;
    private final ExecutorService requestThreads;
    private final JobQueue jobs;
    private final Routes routes;
    private final byte[] expectedAuthorization;
    private boolean closed;

    private BlindspotServer(ServiceOptions options, String backend) throws IOException {
        this.options = options;
        this.jobs = new JobQueue(options.jobs(), options.queue(), options.keepFinished());
        this.routes = new Routes(new ModelRegistry(), jobs, options, backend);
        this.expectedAuthorization = options.token() == null ? null
                : ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
        AtomicInteger count = new AtomicInteger();
        this.requestThreads = Executors.newFixedThreadPool(REQUEST_THREADS, r -> {
            Thread t = new Thread(r, "blindspot-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), 0);
        } catch (IOException e) {
            jobs.close();
            requestThreads.shutdownNow();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        server.createContext("/", this::exchange);
        server.setExecutor(requestThreads);
    }

    /**
     * Starts listening.
     *
     * @param backend what {@code GET /v1/health} reports as the backend
     * @throws IOException when the address cannot be bound
     */
    public static BlindspotServer start(ServiceOptions options, String backend) throws IOException {
        BlindspotServer service = new BlindspotServer(options, backend);
        service.server.start();
        return service;
    }

    /** The address it listens on (with the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port}. */
    public URI uri() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    /** Stops accepting requests, cancels the jobs, and waits briefly for them to stop. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        jobs.close();
        requestThreads.shutdown();
        try {
            requestThreads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void exchange(HttpExchange exchange) {
        Response response;
        Map<String, String> headers = Map.of();
        try {
            authorize(exchange);
            response = routes.handle(new Request(exchange));
        } catch (ApiException e) {
            response = Response.error(e.status(), e.getMessage());
            headers = e.headers();
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = Response.error(500, "internal error: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        try (exchange) {
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            if (response.status() == 413) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (IOException e) {
            LOG.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    private void authorize(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, given == null ? "missing 'Authorization: Bearer <token>' header"
                    : "wrong token", Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    /** The request of an exchange; the body is read at most once, up to the size limit. */
    private final class Request implements Routes.Request {
        private final HttpExchange exchange;
        private final List<String> segments = new ArrayList<>();

        Request(HttpExchange exchange) {
            this.exchange = exchange;
            for (String part : exchange.getRequestURI().getPath().split("/")) {
                if (!part.isEmpty()) {
                    segments.add(part);
                }
            }
        }

        @Override
        public String method() {
            return exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        }

        @Override
        public List<String> segments() {
            return segments;
        }

        @Override
        public byte[] body() {
            long limit = options.maxRequestBytes();
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            if (declared != null) {
                long length;
                try {
                    length = Long.parseLong(declared.trim());
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("Content-Length: not a number: '" + declared + "'");
                }
                if (length > limit) {
                    throw tooLarge(length + " bytes");
                }
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                if (body.length > limit) {
                    throw tooLarge("more than " + limit + " bytes");
                }
                return body;
            } catch (IOException e) {
                throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
            }
        }

        private ApiException tooLarge(String size) {
            return new ApiException(413, "request body of " + size + " exceeds the limit of "
                    + options.maxRequestBytes() + " bytes (--max-request-mb)");
        }
    }
}
