package org.blindspot.engine.model.onnx;

import java.util.Arrays;
import java.util.Map;
import org.blindspot.engine.io.BadDataException;

/** A node's attributes and constant inputs, checked, with errors that name the file and the node. */
final class OnnxOperands {

    private OnnxOperands() {
    }

    /**
     * The value of a Constant node: its {@code value} tensor, or {@code value_ints},
     * {@code value_floats}, {@code value_int}, {@code value_float}.
     */
    static OnnxTensor constantValue(String source, OnnxNode node) {
        Map<String, OnnxAttribute> attributes = node.attributes();
        OnnxAttribute value = attributes.get("value");
        if (value != null && value.t() != null) {
            return value.t();
        }
        OnnxAttribute ints = attributes.get("value_ints");
        if (ints != null) {
            double[] v = Arrays.stream(ints.ints()).asDoubleStream().toArray();
            return new OnnxTensor("", new long[] {v.length}, OnnxDataType.INT64, v);
        }
        OnnxAttribute floats = attributes.get("value_floats");
        if (floats != null) {
            double[] v = new double[floats.floats().length];
            for (int k = 0; k < v.length; k++) {
                v[k] = floats.floats()[k];
            }
            return new OnnxTensor("", new long[] {v.length}, OnnxDataType.FLOAT, v);
        }
        OnnxAttribute scalar = attributes.containsKey("value_int") ? attributes.get("value_int")
                : attributes.get("value_float");
        if (scalar != null) {
            boolean isInt = scalar.name().equals("value_int");
            return new OnnxTensor("", new long[0], isInt ? OnnxDataType.INT64 : OnnxDataType.FLOAT,
                    new double[] {isInt ? scalar.i() : scalar.f()});
        }
        throw new BadDataException(source, node.describe() + " has none of the attributes value (a tensor),"
                + " value_ints, value_floats, value_int, value_float; found " + attributes.keySet());
    }

    /** An INT attribute, or {@code fallback} when the node does not set it. */
    static long intAttribute(String source, OnnxNode node, String name, long fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != OnnxAttribute.INT && a.type() != 0) {
            throw wrongType(source, node, name, "an INT");
        }
        return a.i();
    }

    /** A FLOAT attribute, or {@code fallback} when the node does not set it. */
    static double floatAttribute(String source, OnnxNode node, String name, double fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != OnnxAttribute.FLOAT && a.type() != 0) {
            throw wrongType(source, node, name, "a FLOAT");
        }
        return a.f();
    }

    /** Input {@code index} of the node, which must be a constant (initializer or Constant node). */
    static OnnxTensor constant(String source, OnnxNode node, int index, Map<String, OnnxTensor> constants) {
        String name = node.inputs().get(index);
        OnnxTensor t = constants.get(name);
        if (t == null) {
            throw new BadDataException(source, node.describe() + " reads '" + name + "' as input " + (index + 1)
                    + "; the importer needs a constant there (an initializer or a Constant node)");
        }
        return t;
    }

    /** Input {@code index} as a constant float matrix (rank 2). */
    static OnnxTensor matrix(String source, OnnxNode node, int index, Map<String, OnnxTensor> constants) {
        if (node.inputs().size() <= index) {
            throw new BadDataException(source, node.describe() + " has " + node.inputs().size() + " inputs; expected"
                    + " a weight matrix as input " + (index + 1));
        }
        OnnxTensor t = real(source, node, constant(source, node, index, constants));
        if (t.dims().length != 2) {
            throw new BadDataException(source, node.describe() + ": weights '" + t.name() + "' have shape "
                    + t.shapeString() + "; expected a matrix");
        }
        return t;
    }

    /**
     * Input {@code index} as a constant bias broadcast to [units]: shape [], [1], [units], [1, 1] or
     * [1, units]. Returns a new array.
     */
    static double[] vector(String source, OnnxNode node, int index, Map<String, OnnxTensor> constants, int units) {
        OnnxTensor t = real(source, node, constant(source, node, index, constants));
        long[] d = t.dims();
        boolean row = d.length == 0 || d.length == 1 || (d.length == 2 && d[0] == 1);
        if (!row || (t.size() != units && t.size() != 1)) {
            throw new BadDataException(source, node.describe() + ": bias '" + t.name() + "' has shape "
                    + t.shapeString() + "; expected [" + units + "] to match the layer's " + units + " units");
        }
        double[] out = new double[units];
        for (int j = 0; j < units; j++) {
            out[j] = t.values()[t.size() == 1 ? 0 : j];
        }
        return out;
    }

    /**
     * A Gemm node's layer: {@code alpha B} as an [in, out] row-major matrix (B transposed when transB = 1) and
     * {@code beta C} as the bias (null when the node has no C).
     */
    record GemmLayer(int in, int out, double[] weights, double[] bias) {
    }

    /** Reads a Gemm node whose input A is the chain's value (transA must be 0). */
    static GemmLayer gemm(String source, OnnxNode node, Map<String, OnnxTensor> constants) {
        if (intAttribute(source, node, "transA", 0) != 0) {
            throw new BadDataException(source, node.describe() + " has transA = 1; the importer needs the batch as"
                    + " rows (transA = 0)");
        }
        double alpha = floatAttribute(source, node, "alpha", 1);
        double beta = floatAttribute(source, node, "beta", 1);
        boolean transB = intAttribute(source, node, "transB", 0) != 0;
        OnnxTensor b = matrix(source, node, 1, constants);
        int in = (int) b.dims()[transB ? 1 : 0];
        int out = (int) b.dims()[transB ? 0 : 1];
        double[] w = new double[in * out];
        double[] bv = b.values();
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                w[i * out + j] = alpha * (transB ? bv[j * in + i] : bv[i * out + j]);
            }
        }
        double[] bias = null;
        if (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()) {
            bias = vector(source, node, 2, constants, out);
            for (int j = 0; j < out; j++) {
                bias[j] *= beta;
            }
        }
        return new GemmLayer(in, out, w, bias);
    }

    /** Values as text, integers without a decimal point: "[-1, 784]". */
    static String text(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int k = 0; k < values.length; k++) {
            s.append(k > 0 ? ", " : "").append(values[k] == Math.rint(values[k])
                    ? Long.toString((long) values[k]) : Double.toString(values[k]));
        }
        return s.append(']').toString();
    }

    private static OnnxTensor real(String source, OnnxNode node, OnnxTensor t) {
        if (t.dataType() != OnnxDataType.FLOAT && t.dataType() != OnnxDataType.DOUBLE) {
            throw new BadDataException(source, node.describe() + ": tensor '" + t.name() + "' is "
                    + OnnxDataType.name(t.dataType()) + "; expected FLOAT weights");
        }
        return t;
    }

    private static BadDataException wrongType(String source, OnnxNode node, String name, String expected) {
        return new BadDataException(source, node.describe() + ": attribute " + name + " is not " + expected);
    }
}
