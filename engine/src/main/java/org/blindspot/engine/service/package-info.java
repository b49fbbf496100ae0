/**
 * {@code blindspot serve}: the attack as a local HTTP JSON service, so that other tools (mostly
 * Python) can call it without starting a JVM per call. Built on the JDK's
 * {@code com.sun.net.httpserver} and Jackson; it listens on 127.0.0.1 unless told otherwise.
 *
 * <h2>API, version 1</h2>
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET /v1/health}</td>
 *       <td>200 {@code {"status":"ok","backend":"CPU (...)","models":1,"jobs_running":0,"jobs_queued":0}}</td></tr>
 *   <tr><td>{@code POST /v1/models} {@code {"path":"/abs/model","activation":"sigmoid"}}</td>
 *       <td>201 {@code {"id":"m1","path":...,"name":"fc100-100-10","activation":"sigmoid","inputs":784,"classes":10}};
 *       the path is a model folder (model.npz + model.json, whose activation wins) or a bare .npz (then
 *       {@code activation} is required); it must be absolute</td></tr>
 *   <tr><td>{@code GET /v1/models}, {@code GET /v1/models/{id}}</td><td>200 the models as above</td></tr>
 *   <tr><td>{@code POST /v1/jobs}</td><td>202 {@code {"id":"j1","status":"queued","examples":N}}; body below</td></tr>
 *   <tr><td>{@code GET /v1/jobs}</td><td>200 every job kept, as below without the summary</td></tr>
 *   <tr><td>{@code GET /v1/jobs/{id}}</td>
 *       <td>200 {@code {"id","model","status","target","examples","finished","succeeded",
 *       "mean_rms_distortion","submitted","seconds"}}, plus {@code "error"} when failed, {@code "summary"}
 *       (the figures of the command line's summary.json) when done, {@code "cancel_requested":true} while
 *       a running job stops; status is one of {@code queued, running, done, failed, cancelled}</td></tr>
 *   <tr><td>{@code GET /v1/jobs/{id}/records}</td>
 *       <td>200 the records finished so far, in input order, as in records.jsonl: {@code index,
 *       true_label, target, c, distortion} (RMS), {@code l2, iterations, evaluations, solves, status, margin}</td></tr>
 *   <tr><td>{@code GET /v1/jobs/{id}/adversarial.npy}</td>
 *       <td>200 NPY float32 [N, inputs], rows in input order, a failed row holding its best attempt;
 *       409 until the job is done</td></tr>
 *   <tr><td>{@code DELETE /v1/jobs/{id}}</td>
 *       <td>cancels: a queued job never starts (200, status cancelled); a running one stops at the
 *       solver's next step (202, {@code cancel_requested}); an ended job is left as it is (200)</td></tr>
 * </table>
 *
 * <p>Job body: {@code {"model":"m1", "images_npy_b64":..., "labels_npy_b64":..., "target":"next",
 * "options":{...}}}. Images: base64 of an NPY file, float32 or float64, [N, inputs] (or any
 * [N, ...] whose trailing dimensions multiply to the model's inputs), pixels in [0, 1]. Labels:
 * base64 NPY of N integers in 0..classes-1. Target: {@code next} (default), {@code random},
 * {@code least-likely}, {@code closest} or a label (string or number). Options, all optional, as
 * {@code blindspot attack} takes them: {@code search_steps, c_init, c_factor, c_tolerance, c_search, batch,
 * max_iterations, margin, penalty} ({@code l2sq} or {@code l2}), {@code precision}
 * ({@code float32} or {@code float64}), {@code history} ({@code keep} or {@code reset}), {@code seed}. Unknown
 * fields are refused.
 *
 * <p>Jobs run in a FIFO queue, {@code --jobs} at a time (default 1), each with the batched engine;
 * at most {@code --queue} wait (429 beyond). The last {@code --keep} ended jobs are kept in memory.
 *
 * <p>Errors are {@code {"error":"one message"}}: 400 malformed JSON, a missing or unknown field, a
 * bad NPY, a wrong shape, a pixel outside [0, 1], a label out of range, bad options; 401 a missing
 * or wrong {@code Authorization: Bearer} token when the server has one ({@code --token} or
 * {@code BLINDSPOT_TOKEN}); 404 an unknown path, model or job; 405 a method the path does not take
 * (with {@code Allow}); 409 adversarial.npy of a job not done; 413 a body over
 * {@code --max-request-mb} (refused from its Content-Length, before it is read) or more images than
 * {@code --max-images}; 429 a full queue; 500 anything unexpected (logged; the server goes on).
 */
package org.blindspot.engine.service;
