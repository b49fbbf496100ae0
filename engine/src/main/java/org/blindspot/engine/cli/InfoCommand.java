package org.blindspot.engine.cli;

import java.util.concurrent.Callable;
import org.blindspot.engine.data.DataNotFoundException;
import org.blindspot.engine.runtime.BackendInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code blindspot info}: version, backend, device, BLAS, threads, and where MNIST is. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the version, the ND4J backend (CPU or CUDA), device, BLAS, threads and where MNIST is.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        BackendInfo info = BackendInfo.current();
        System.out.println("blindspot " + BackendInfo.version());
        System.out.println("java       " + BackendInfo.jvm());
        System.out.println("backend    " + info.backend());
        System.out.println("device     " + info.device());
        System.out.println("blas       " + info.blas() + ", " + info.blasThreads() + " thread(s)");
        System.out.println("threads    " + info.ompThreads() + " OpenMP (OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + "), "
                + Runtime.getRuntime().availableProcessors() + " processors");
        if (common.verbose) {
            info.details().forEach((k, v) -> System.out.println("  " + k + " = " + v));
        }
        try {
            System.out.print(data.locate().describe());
        } catch (DataNotFoundException e) {
            System.out.println("MNIST data: not found");
            System.out.println(e.getMessage().indent(2).stripTrailing());
        }
        return 0;
    }
}
