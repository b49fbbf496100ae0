package org.blindspot.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.blindspot.engine.runtime.BackendInfo;
import org.blindspot.engine.service.BlindspotServer;
import org.blindspot.engine.service.ServiceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blindspot serve}: the attack as a local HTTP JSON service ({@link org.blindspot.engine.service}). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the attack over HTTP with JSON, for tools that call Blindspot many times.",
                "API v1: GET /v1/health; POST|GET /v1/models; POST|GET /v1/jobs; GET|DELETE /v1/jobs/{id};",
                "GET /v1/jobs/{id}/records; GET /v1/jobs/{id}/adversarial.npy. See examples/blindspot_client.py.",
                "Ctrl-C stops it (running jobs are cancelled)."})
final class ServeCommand implements Callable<Integer> {

    /** Environment variable that supplies the token when --token is not given. */
    static final String TOKEN_VARIABLE = "BLINDSPOT_TOKEN";

    @Mixin
    CommonOptions common;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServiceOptions.DEFAULT_PORT,
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--jobs", defaultValue = "1", description = "Jobs run at the same time (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--queue", defaultValue = "16",
            description = "Jobs that may wait; more are refused with 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-request-mb", defaultValue = "64",
            description = "Largest request body in MiB; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    int maxRequestMb;

    @Option(names = "--max-images", defaultValue = "100000",
            description = "Most images in one job (default: ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--keep", defaultValue = "100",
            description = "Ended jobs kept in memory (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--token", description = "Require 'Authorization: Bearer TOKEN' on every request "
            + "(default: $" + TOKEN_VARIABLE + " if set, else none).")
    String token;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (maxRequestMb < 1) {
            throw new IllegalArgumentException("--max-request-mb: must be >= 1, got " + maxRequestMb);
        }
        String secret = token != null ? token : System.getenv(TOKEN_VARIABLE);
        ServiceOptions options = new ServiceOptions(host, port, jobs, queue, (long) maxRequestMb << 20, maxImages,
                keep, secret == null || secret.isEmpty() ? null : secret);
        String backend = BackendInfo.current().oneLine();
        BlindspotServer server = BlindspotServer.start(options, backend);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.err.println("blindspot serve: stopped");
            stopped.countDown();
        }, "blindspot-serve-shutdown"));
        System.out.println("blindspot serve: listening on " + server.uri() + " (" + backend + "; " + jobs
                + " job(s) at a time, queue " + queue + (options.token() == null ? "" : ", token required")
                + "); Ctrl-C stops");
        System.out.flush();
        if (options.token() == null && !loopback(host)) {
            System.err.println("warning: listening on " + host + " without a token: anyone who can reach this port "
                    + "can load model files and run jobs; use --token or BLINDSPOT_TOKEN");
        }
        stopped.await();
        return 0;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("--host: unknown host '" + host + "'", e);
        }
    }
}
