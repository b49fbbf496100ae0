/*
 * Question: what does the first touch of fresh memory cost on this machine, with 4 KiB pages and with transparent
 * huge pages (madvise)? It is what the JVM pays when its heap grows, and why the launcher asks for huge pages.
 *
 *   gcc -O2 bench/probes/first_touch.c -o /tmp/first_touch && /tmp/first_touch
 *
 * Prints, for each page kind, the time to touch 128 MiB of freshly mapped memory, three times.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

static double touch(int huge) {
    size_t n = (size_t) 128 << 20;
    struct timespec a, b;
    char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return -1;
    }
    if (huge) {
        madvise(p, n, MADV_HUGEPAGE);
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < n; i += 4096) {
        p[i] = 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    munmap(p, n);
    return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

int main(void) {
    for (int huge = 0; huge <= 1; huge++) {
        for (int r = 0; r < 3; r++) {
            double ms = touch(huge);
            printf("%s pages: 128 MiB touched in %.1f ms (%.2f us per 4 KiB)\n", huge ? "huge" : "4 KiB", ms,
                   ms * 1e3 / 32768);
        }
    }
    return 0;
}
