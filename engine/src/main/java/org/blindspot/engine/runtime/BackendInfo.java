package org.blindspot.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A snapshot of the ND4J backend in use. The backend is chosen by ND4J at start-up from the class
 * path (nd4j-native for the CPU, nd4j-cuda with {@code -Pcuda}); engine code never names it.
 *
 * @param backend    "CPU" or "CUDA"
 * @param device     the device description ND4J gives (CUDA), or the core count (CPU)
 * @param blas       the BLAS vendor, with OpenBLAS's kernels when {@code OPENBLAS_CORETYPE} chooses them
 * @param ompThreads ND4J's OpenMP threads
 * @param blasThreads BLAS threads
 * @param details    everything ND4J reports, by key
 */
public record BackendInfo(String backend, String device, String blas, int ompThreads, int blasThreads,
                          Map<String, String> details) {

    /** Reads the backend now in use (initialises ND4J if needed). */
    public static BackendInfo current() {
        Properties props = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, String> details = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            details.put(key, String.valueOf(props.get(key)));
        }
        boolean cpu = Nd4j.getEnvironment().isCPU();
        String device = cpu ? props.getOrDefault("cores", "?") + " cores"
                : String.valueOf(props.getOrDefault("cuda.devicesInformation", "CUDA device"));
        String blas = String.valueOf(props.getOrDefault("blas.vendor", Nd4j.factory().blas().getBlasVendor()));
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        if (cpu && coreType != null && !coreType.isBlank()) {
            blas += " " + coreType.trim();
        }
        return new BackendInfo(cpu ? "CPU" : "CUDA", device, blas, Nd4j.getEnvironment().maxThreads(),
                Nd4j.factory().blas().getMaxThreads(), details);
    }

    /** "CPU (nd4j-native, OPENBLAS, 1 thread)" and the like, for summaries and reports. */
    public String oneLine() {
        return backend + " (" + device + ", " + blas + ", " + ompThreads + " OpenMP thread"
                + (ompThreads == 1 ? "" : "s") + ")";
    }

    /**
     * The JVM: its version and vendor, and whether it was started with an ahead-of-time cache ({@code -XX:AOTCache},
     * as the launcher does on JDK 25 and later), which changes how fast a short run is: "25.0.3 (Eclipse Adoptium,
     * ahead-of-time cache)".
     */
    public static String jvm() {
        boolean aot = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-XX:AOTCache="));
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                + (aot ? ", ahead-of-time cache" : "") + ")";
    }

    /** The engine's version, from the build. */
    public static String version() {
        try (InputStream in = BackendInfo.class.getResourceAsStream("/blindspot.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
