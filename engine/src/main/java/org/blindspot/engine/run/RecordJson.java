package org.blindspot.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.blindspot.engine.attack.AttackRecord;
import org.blindspot.engine.attack.AttackStatus;

/** One line of {@code records.jsonl}: an {@link AttackRecord} without its image. */
public final class RecordJson {

    private RecordJson() {
    }

    /** The record's fields by their JSON names (NaN c and margin become null); the image is left out. */
    public static Map<String, Object> toMap(AttackRecord r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("index", r.index());
        map.put("true_label", r.trueLabel());
        map.put("target", r.target());
        map.put("c", finiteOrNull(r.c()));
        map.put("distortion", r.rmsDistortion());
        map.put("l2", r.l2());
        map.put("iterations", r.iterations());
        map.put("evaluations", r.evaluations());
        map.put("solves", r.solves());
        map.put("status", r.status().id());
        map.put("margin", finiteOrNull(r.margin()));
        return map;
    }

    static AttackRecord fromJson(JsonNode node, float[] adversarial) {
        return new AttackRecord(node.get("index").asInt(), node.get("true_label").asInt(), node.get("target").asInt(),
                doubleOrNaN(node.get("c")), node.get("distortion").asDouble(), node.get("l2").asDouble(),
                node.get("iterations").asInt(), node.get("evaluations").asInt(), node.get("solves").asInt(),
                AttackStatus.valueOf(node.get("status").asText().toUpperCase(Locale.ROOT)),
                doubleOrNaN(node.get("margin")), adversarial);
    }

    private static Object finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double doubleOrNaN(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }
}
