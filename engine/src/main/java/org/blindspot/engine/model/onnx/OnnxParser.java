package org.blindspot.engine.model.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;

/**
 * Decodes the messages of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) the
 * importer needs from the wire format, skipping every other field. Field numbers:
 *
 * <pre>
 *   ModelProto         ir_version 1, producer_name 2, producer_version 3, opset_import 8, graph 7
 *   OperatorSetIdProto domain 1, version 2
 *   GraphProto         node 1, name 2, initializer 5, input 11, output 12
 *   NodeProto          input 1, output 2, name 3, op_type 4, attribute 5, domain 7
 *   AttributeProto     name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20
 *   TensorProto        dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8,
 *                      raw_data 9 (little-endian), double_data 10, external_data 13, data_location 14
 *   ValueInfoProto     name 1, type 2 -> TypeProto tensor_type 1 -> elem_type 1, shape 2
 *                      -> TensorShapeProto dim 1 -> dim_value 1 | dim_param 2
 * </pre>
 */
final class OnnxParser {

    /** The oldest standard opset read: Gemm's broadcasting and Dropout's is_test changed before 7. */
    static final long MIN_OPSET = 7;

    private OnnxParser() {
    }

    /** Decodes a ModelProto; errors name {@code source}. */
    static OnnxModel parseModel(String source, byte[] bytes) {
        ProtobufReader r = new ProtobufReader(source, bytes);
        long irVersion = 0;
        Map<String, Long> opsets = new LinkedHashMap<>();
        String producer = "";
        String producerVersion = "";
        OnnxGraph graph = null;
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> irVersion = r.readInt64();
                case 2 -> producer = r.readString();
                case 3 -> producerVersion = r.readString();
                case 7 -> graph = parseGraph(r.readMessage());
                case 8 -> parseOpset(r.readMessage(), opsets);
                default -> r.skip();
            }
        }
        if (graph == null || irVersion == 0) {
            throw new BadDataException(source, "not an ONNX model: no " + (graph == null ? "graph" : "IR version")
                    + " in it (expected a ModelProto as torch.onnx.export writes)");
        }
        Long opset = opsets.get("");
        if (opset == null || opset < MIN_OPSET) {
            throw new BadDataException(source, opset == null
                    ? "no opset_import for the standard ONNX domain (a truncated or hand-made file?)"
                    : "the model uses ONNX opset " + opset + "; the importer reads opset " + MIN_OPSET + " and later");
        }
        return new OnnxModel(irVersion, opsets, producer, producerVersion, graph);
    }

    private static void parseOpset(ProtobufReader r, Map<String, Long> opsets) {
        String domain = "";
        long version = 0;
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> domain = r.readString();
                case 2 -> version = r.readInt64();
                default -> r.skip();
            }
        }
        opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
    }

    private static OnnxGraph parseGraph(ProtobufReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> nodes.add(parseNode(r.readMessage()));
                case 2 -> name = r.readString();
                case 5 -> {
                    OnnxTensor t = parseTensor(r.readMessage());
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(parseValueInfo(r.readMessage()));
                case 12 -> outputs.add(parseValueInfo(r.readMessage()));
                default -> r.skip();
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode parseNode(ProtobufReader r) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> inputs.add(r.readString());
                case 2 -> outputs.add(r.readString());
                case 3 -> name = r.readString();
                case 4 -> opType = r.readString();
                case 5 -> {
                    OnnxAttribute a = parseAttribute(r.readMessage());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = r.readString();
                default -> r.skip();
            }
        }
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute parseAttribute(ProtobufReader r) {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        OnnxTensor t = null;
        List<float[]> floats = new ArrayList<>();
        List<long[]> ints = new ArrayList<>();
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> name = r.readString();
                case 2 -> f = r.readFloat();
                case 3 -> i = r.readInt64();
                case 4 -> s = r.readString();
                case 5 -> t = parseTensor(r.readMessage());
                case 7 -> floats.add(r.readFloats());
                case 8 -> ints.add(r.readVarints());
                case 20 -> type = (int) r.readInt64();
                default -> r.skip();
            }
        }
        return new OnnxAttribute(name, type, f, i, s, t, concatFloats(floats), concatLongs(ints));
    }

    private static OnnxValueInfo parseValueInfo(ProtobufReader r) {
        String name = "";
        int elemType = 0;
        long[] dims = null;
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> name = r.readString();
                case 2 -> {
                    ProtobufReader type = r.readMessage();
                    while (type.hasMore()) {
                        if (type.nextField() != 1) {
                            type.skip();
                            continue;
                        }
                        ProtobufReader tensorType = type.readMessage();
                        while (tensorType.hasMore()) {
                            switch (tensorType.nextField()) {
                                case 1 -> elemType = (int) tensorType.readInt64();
                                case 2 -> dims = parseShape(tensorType.readMessage());
                                default -> tensorType.skip();
                            }
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new OnnxValueInfo(name, elemType, dims);
    }

    private static long[] parseShape(ProtobufReader r) {
        List<Long> dims = new ArrayList<>();
        while (r.hasMore()) {
            if (r.nextField() != 1) {
                r.skip();
                continue;
            }
            ProtobufReader dim = r.readMessage();
            long value = -1;
            while (dim.hasMore()) {
                if (dim.nextField() == 1) {
                    value = dim.readInt64();
                } else {
                    dim.skip();
                }
            }
            dims.add(value < 0 ? -1 : value);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Decodes a TensorProto's fields, then its data once the data type is known. */
    static OnnxTensor parseTensor(ProtobufReader r) {
        String source = r.source();
        List<long[]> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        List<float[]> floatData = new ArrayList<>();
        List<long[]> intData = new ArrayList<>();
        List<double[]> doubleData = new ArrayList<>();
        boolean external = false;
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> dims.add(r.readVarints());
                case 2 -> dataType = (int) r.readInt64();
                case 4 -> floatData.add(r.readFloats());
                case 5, 7 -> intData.add(r.readVarints());
                case 8 -> name = r.readString();
                case 9 -> raw = r.readBytes();
                case 10 -> doubleData.add(r.readDoubles());
                case 13 -> {
                    external = true;
                    r.skip();
                }
                case 14 -> external |= r.readInt64() == 1;
                default -> r.skip();
            }
        }
        String what = "tensor '" + name + "'";
        if (external) {
            throw new BadDataException(source, what + " keeps its data in an external file, which is not supported;"
                    + " save the model in one file (onnx.save_model(model, path, save_as_external_data=False))");
        }
        long[] shape = concatLongs(dims);
        long count = 1;
        for (long d : shape) {
            count *= d;
            if (d < 0 || d > Integer.MAX_VALUE || count > Integer.MAX_VALUE) {
                throw new BadDataException(source, what + " has an invalid shape " + Arrays.toString(shape));
            }
        }
        double[] values = switch (dataType) {
            case OnnxDataType.FLOAT -> raw != null ? rawValues(source, what, raw, 4, count, dataType)
                    : toDoubles(concatFloats(floatData));
            case OnnxDataType.DOUBLE -> raw != null ? rawValues(source, what, raw, 8, count, dataType)
                    : concatDoubles(doubleData);
            case OnnxDataType.INT64 -> raw != null ? rawValues(source, what, raw, 8, count, dataType)
                    : toDoubles(concatLongs(intData), false);
            case OnnxDataType.INT32 -> raw != null ? rawValues(source, what, raw, 4, count, dataType)
                    : toDoubles(concatLongs(intData), true);
            default -> throw new BadDataException(source, what + " has element type "
                    + OnnxDataType.name(dataType) + "; the importer reads FLOAT, DOUBLE, INT32 and INT64 tensors"
                    + " (export the model in float32)");
        };
        if (values.length != count) {
            throw new BadDataException(source, what + " of shape " + Arrays.toString(shape) + " holds "
                    + values.length + " values, expected " + count);
        }
        return new OnnxTensor(name, shape, dataType, values);
    }

    private static double[] rawValues(String source, String what, byte[] raw, int width, long count, int type) {
        if (raw.length != count * width) {
            throw new BadDataException(source, what + " has " + raw.length + " bytes of raw data, expected "
                    + count + " " + OnnxDataType.name(type) + " values of " + width + " bytes");
        }
        ProtobufReader bytes = new ProtobufReader(source, raw);
        double[] values = new double[(int) count];
        for (int k = 0; k < values.length; k++) {
            values[k] = switch (type) {
                case OnnxDataType.FLOAT -> Float.intBitsToFloat(bytes.readFixed32());
                case OnnxDataType.INT32 -> bytes.readFixed32();
                case OnnxDataType.INT64 -> bytes.readFixed64();
                default -> Double.longBitsToDouble(bytes.readFixed64());
            };
        }
        return values;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[k];
        }
        return out;
    }

    private static double[] toDoubles(long[] values, boolean int32) {
        double[] out = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = int32 ? (int) values[k] : values[k];
        }
        return out;
    }

    private static float[] concatFloats(List<float[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static long[] concatLongs(List<long[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        long[] out = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static double[] concatDoubles(List<double[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
