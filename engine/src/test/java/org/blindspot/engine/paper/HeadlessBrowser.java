package org.blindspot.engine.paper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads an HTML page in headless Chromium (Debian's {@code chromium}, which .ci/run installs) and
 * counts the images that actually decoded (complete, with a natural width).
 */
final class HeadlessBrowser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessBrowser() {
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    /**
     * @return {images in the page, images that loaded}
     */
    static int[] countImages(Path html, Path scratch) throws IOException, InterruptedException {
        String page = Files.readString(html, StandardCharsets.UTF_8);
        String probe = "<script>window.addEventListener('load', () => { const all = [...document.images];"
                + " document.body.setAttribute('data-images', all.length + '/' + all.filter(i => i.complete"
                + " && i.naturalWidth > 0).length); });</script>";
        Path copy = scratch.resolve("probe.html");
        Files.writeString(copy, page.replace("</body>", probe + "</body>"), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + scratch.resolve("profile"),
                "--virtual-time-budget=10000", "--dump-dom", copy.toUri().toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish");
        }
        Matcher m = Pattern.compile("data-images=\"(\\d+)/(\\d+)\"").matcher(dom);
        if (!m.find()) {
            throw new IOException("chromium's DOM has no image count; it printed " + dom.length() + " characters");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
