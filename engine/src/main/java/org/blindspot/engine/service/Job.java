package org.blindspot.engine.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.blindspot.engine.attack.AttackInput;
import org.blindspot.engine.attack.AttackListener;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.BoxConstrainedLbfgsAttack;
import org.blindspot.engine.data.Dataset;
import org.blindspot.engine.io.Npy;
import org.blindspot.engine.io.NpyArray;
import org.blindspot.engine.run.AttackJob;
import org.blindspot.engine.run.RecordJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One submitted attack: its request, its status and its records as they finish. The state is read
 * by request threads while one worker runs the attack; every accessor is synchronized, except the
 * cancellation flag, which the solver reads once per step. The images are let go of when the job
 * starts (the attack holds them) or is cancelled; an ended job keeps its records and their
 * adversarial images.
 */
final class Job {

    /** Where a job is in its life. */
    enum Status {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED;

        /** The lower-case name used in JSON. */
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the job will not change any more. */
        boolean ended() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Job.class);

    private final String id;
    private final ModelRegistry.Entry model;
    private final AttackJob.Spec spec;
    private Dataset data;
    private final Instant submitted = Instant.now();
    private final AttackRecord[] records;
    private volatile boolean cancelRequested;
    private Status status = Status.QUEUED;
    private long startNanos;
    private double seconds;
    private int finished;
    private int succeeded;
    private double distortion;
    private String error;
    private Map<String, Object> summary;

    Job(String id, JobRequest request) {
        this.id = id;
        this.model = request.model();
        this.spec = request.spec();
        this.data = request.data();
        this.records = new AttackRecord[request.data().count()];
    }

    String id() {
        return id;
    }

    synchronized Status status() {
        return status;
    }

    /**
     * Runs the attack in the calling thread (a worker's); never throws: a failure becomes status
     * {@code failed} with its message. A job cancelled while queued does not start.
     */
    void run() {
        Dataset images = begin();
        if (images == null) {
            return;
        }
        try {
            List<AttackInput> inputs = AttackJob.select(model.classifier(), images, spec);
            if (cancelRequested) {
                throw new CancellationException("cancelled before the attack started");
            }
            BoxConstrainedLbfgsAttack attack = new BoxConstrainedLbfgsAttack(model.classifier(), spec.options(),
                    images.lower(), images.upper());
            List<AttackRecord> all = attack.run(inputs, new Listener());
            double wall = (System.nanoTime() - startNanos) / 1e9;
            end(Status.DONE, null, AttackJob.summary(all, wall, all.size(), attack.modelSeconds(), spec));
        } catch (CancellationException e) {
            end(Status.CANCELLED, null, null);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("job {} failed", id, e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            end(Status.FAILED, message, null);
        }
    }

    /**
     * Asks the job to stop: a queued job is cancelled at once (it never starts), a running one stops
     * at the solver's next step; an ended job is left as it is.
     *
     * @return the status after the request
     */
    synchronized Status cancel() {
        if (status == Status.QUEUED) {
            status = Status.CANCELLED;
            data = null;
        } else if (status == Status.RUNNING) {
            cancelRequested = true;
        }
        return status;
    }

    /**
     * The status as JSON: id, model, status, examples, finished, succeeded, mean_rms_distortion (of
     * the successes so far), seconds, submitted; error when failed; summary when done; cancel_requested
     * while a running job is being stopped.
     */
    synchronized Map<String, Object> toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("model", model.id());
        map.put("status", status.id());
        map.put("target", spec.rule().toString());
        map.put("examples", records.length);
        map.put("finished", finished);
        map.put("succeeded", succeeded);
        map.put("mean_rms_distortion", succeeded == 0 ? null : distortion / succeeded);
        map.put("submitted", submitted.toString());
        map.put("seconds", status == Status.RUNNING ? (System.nanoTime() - startNanos) / 1e9 : seconds);
        if (cancelRequested && status == Status.RUNNING) {
            map.put("cancel_requested", true);
        }
        if (error != null) {
            map.put("error", error);
        }
        if (summary != null) {
            map.put("summary", summary);
        }
        return map;
    }

    /** The records finished so far, in input order, as {@link RecordJson} maps. */
    synchronized List<Map<String, Object>> records() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (AttackRecord r : records) {
            if (r != null) {
                list.add(RecordJson.toMap(r));
            }
        }
        return list;
    }

    /**
     * The adversarial images as an NPY file, float32 [N, inputs] in input order (a failed example
     * holds its best attempt).
     *
     * @throws ApiException 409 unless the job is done
     */
    byte[] adversarialNpy() {
        float[] all;
        int inputs = model.classifier().inputSize();
        synchronized (this) {
            if (status != Status.DONE) {
                throw new ApiException(409, "job " + id + " is " + status.id()
                        + "; adversarial.npy exists once it is done");
            }
            all = new float[records.length * inputs];
            for (int i = 0; i < records.length; i++) {
                System.arraycopy(records[i].adversarial(), 0, all, i * inputs, inputs);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(all.length * 4 + 128);
        try {
            Npy.write(out, NpyArray.ofFloats(all, records.length, inputs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Marks the job running and hands over its images (the job lets go of them); null if it was cancelled. */
    private synchronized Dataset begin() {
        if (status != Status.QUEUED) {
            return null;
        }
        status = Status.RUNNING;
        startNanos = System.nanoTime();
        Dataset images = data;
        data = null;
        return images;
    }

    private synchronized void end(Status to, String message, Map<String, Object> figures) {
        status = to;
        error = message;
        summary = figures;
        seconds = (System.nanoTime() - startNanos) / 1e9;
    }

    private synchronized void finished(AttackRecord record) {
        records[record.index()] = record;
        finished++;
        if (record.succeeded()) {
            succeeded++;
            distortion += record.rmsDistortion();
        }
    }

    /** Collects records as they finish and passes the cancellation flag to the solver. */
    private final class Listener implements AttackListener {
        @Override
        public void finished(AttackRecord record) {
            Job.this.finished(record);
        }

        @Override
        public boolean cancelled() {
            return cancelRequested;
        }
    }
}
