package org.blindspot.engine.model.onnx;

/** ONNX element types (TensorProto.DataType) the importer meets, and the names of all of them. */
final class OnnxDataType {

    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private static final String[] NAMES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
        "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};

    private OnnxDataType() {
    }

    /** The type's name as onnx.proto spells it, e.g. "FLOAT16". */
    static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "type " + type;
    }
}
