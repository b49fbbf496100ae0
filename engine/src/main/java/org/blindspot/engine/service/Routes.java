package org.blindspot.engine.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The endpoints of API version 1 (listed in the package description): matches a method and a path
 * to a handler and runs it. Requests are checked here; the work is done by {@link ModelRegistry}
 * and {@link JobQueue}.
 */
final class Routes {

    private final ModelRegistry models;
    private final JobQueue jobs;
    private final ServiceOptions options;
    private final String backend;

    Routes(ModelRegistry models, JobQueue jobs, ServiceOptions options, String backend) {
        this.models = models;
        this.jobs = jobs;
        this.options = options;
        this.backend = backend;
    }

    /** A request: its method, the path split at '/', and a body reader that enforces the size limit. */
    interface Request {
        String method();

        List<String> segments();

        byte[] body();
    }

    /**
     * Answers one request.
     *
     * @throws ApiException 404 for an unknown path, 405 for a method the path does not take, and
     *         what the handler refuses
     */
    Response handle(Request request) {
        List<String> s = request.segments();
        if (s.size() < 2 || !s.get(0).equals("v1")) {
            throw unknown(request);
        }
        String resource = s.get(1);
        return switch (s.size()) {
            case 2 -> switch (resource) {
                case "health" -> only(request, "GET", () -> health());
                case "models" -> request.method().equals("POST") ? loadModel(request)
                        : only(request, "GET, POST", () -> Response.json(200, modelList()));
                case "jobs" -> request.method().equals("POST") ? submit(request)
                        : only(request, "GET, POST", () -> Response.json(200, jobList()));
                default -> throw unknown(request);
            };
            case 3 -> switch (resource) {
                case "models" -> only(request, "GET", () -> Response.json(200, models.get(s.get(2)).toJson()));
                case "jobs" -> request.method().equals("DELETE") ? cancel(s.get(2))
                        : only(request, "GET, DELETE", () -> Response.json(200, jobs.get(s.get(2)).toJson()));
                default -> throw unknown(request);
            };
            case 4 -> {
                if (!resource.equals("jobs")) {
                    throw unknown(request);
                }
                yield switch (s.get(3)) {
                    case "records" -> only(request, "GET", () -> Response.json(200, jobs.get(s.get(2)).records()));
                    case "adversarial.npy" -> only(request, "GET",
                            () -> new Response(200, Response.NPY, jobs.get(s.get(2)).adversarialNpy()));
                    default -> throw unknown(request);
                };
            }
            default -> throw unknown(request);
        };
    }

    private Response health() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", "ok");
        map.put("backend", backend);
        map.put("models", models.list().size());
        map.put("jobs_running", jobs.running());
        map.put("jobs_queued", jobs.queued());
        return Response.json(200, map);
    }

    private Response loadModel(Request request) {
        JsonNode root = JobRequest.object(request.body());
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("path") && !name.equals("activation")) {
                throw ApiException.badRequest("unknown field '" + name + "'; expected path, activation");
            }
        }
        String path = JobRequest.text(root, "path", null);
        JsonNode activation = root.get("activation");
        String act = activation == null || activation.isNull() ? null : JobRequest.text(root, "activation", null);
        return Response.json(201, models.load(path, act).toJson());
    }

    private List<Map<String, Object>> modelList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ModelRegistry.Entry entry : models.list()) {
            list.add(entry.toJson());
        }
        return list;
    }

    private Response submit(Request request) {
        JobRequest parsed = JobRequest.parse(request.body(), models, options.maxImages(), options.solverThreads());
        Job job = jobs.submit(parsed);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", job.id());
        map.put("status", Job.Status.QUEUED.id());
        map.put("examples", parsed.data().count());
        return Response.json(202, map);
    }

    private List<Map<String, Object>> jobList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Job job : jobs.list()) {
            Map<String, Object> map = job.toJson();
            map.remove("summary");
            list.add(map);
        }
        return list;
    }

    private Response cancel(String id) {
        Job job = jobs.cancel(id);
        Map<String, Object> map = job.toJson();
        return Response.json(map.containsKey("cancel_requested") ? 202 : 200, map);
    }

    private static Response only(Request request, String allowed, Supplier<Response> handler) {
        if (!List.of(allowed.split(", ")).contains(request.method())) {
            throw new ApiException(405, request.method() + " is not allowed on /" + String.join("/", request.segments())
                    + "; allowed: " + allowed, Map.of("Allow", allowed));
        }
        return handler.get();
    }

    private static ApiException unknown(Request request) {
        return ApiException.notFound("no endpoint " + request.method() + " /" + String.join("/", request.segments())
                + "; see the API in 'blindspot serve --help'");
    }
}
