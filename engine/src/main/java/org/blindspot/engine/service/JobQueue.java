package org.blindspot.engine.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs of the service: a FIFO of waiting jobs served by a fixed number of worker threads, and
 * every job by id until it is forgotten (the oldest ended job goes once more than {@code keep} have
 * ended). Thread-safe; the lock order is queue, then job.
 */
final class JobQueue implements AutoCloseable {

    private static final long JOIN_MILLIS = 5_000;

    private final int capacity;
    private final int keep;
    private final Deque<Job> waiting = new ArrayDeque<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Deque<Job> ended = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private int submitted;
    private int running;
    private boolean closed;

    /**
     * Starts {@code threads} workers.
     *
     * @param capacity most waiting jobs
     * @param keep     ended jobs kept
     */
    JobQueue(int threads, int capacity, int keep) {
        this.capacity = capacity;
        this.keep = keep;
        for (int i = 1; i <= threads; i++) {
            Thread worker = new Thread(this::work, "blindspot-job-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Queues a job.
     *
     * @throws ApiException 429 when the queue is full, 503 once the service is stopping
     */
    synchronized Job submit(JobRequest request) {
        if (closed) {
            throw new ApiException(503, "the service is stopping");
        }
        if (waiting.size() >= capacity) {
            throw new ApiException(429, "the queue is full: " + waiting.size() + " jobs wait (--queue " + capacity
                    + "); retry when one has started");
        }
        Job job = new Job("j" + (++submitted), request);
        jobs.put(job.id(), job);
        waiting.add(job);
        notifyAll();
        return job;
    }

    /** @throws ApiException 404 for an unknown (or forgotten) id */
    synchronized Job get(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw ApiException.notFound("no job '" + id + "' (unknown, or ended long enough ago to be forgotten)");
        }
        return job;
    }

    /** Every job kept, in submission order. */
    synchronized List<Job> list() {
        return new ArrayList<>(jobs.values());
    }

    /** Cancels a job ({@link Job#cancel}); a queued one leaves the queue. */
    synchronized Job cancel(String id) {
        Job job = get(id);
        if (job.cancel() == Job.Status.CANCELLED && waiting.remove(job)) {
            retire(job);
        }
        return job;
    }

    /** Jobs waiting. */
    synchronized int queued() {
        return waiting.size();
    }

    /** Jobs running. */
    synchronized int running() {
        return running;
    }

    /** Stops taking jobs, cancels the waiting and the running ones, and waits a while for the workers. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Job job : jobs.values()) {
                job.cancel();
            }
            waiting.clear();
            notifyAll();
        }
        for (Thread worker : workers) {
            try {
                worker.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work() {
        while (true) {
            Job job;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                job = waiting.poll();
                running++;
            }
            try {
                job.run();
            } finally {
                synchronized (this) {
                    running--;
                    retire(job);
                }
            }
        }
    }

    /** Records an ended job and forgets the oldest ended ones beyond {@code keep}. */
    private void retire(Job job) {
        ended.add(job);
        while (ended.size() > keep) {
            jobs.remove(ended.poll().id());
        }
    }
}
