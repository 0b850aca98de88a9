#!/usr/bin/env python3
"""The reference for bench/analysis.ts: ONNX's own shape inference in Python on one model file.

Loads the model with onnx.load and runs onnx.shape_inference.infer_shapes on it (defaults:
no strict mode, no data propagation), timing each step, and prints one line of JSON:

  {"loadMs", "inferMs", "totalMs", "peakRssBytes", "inferredValueInfo", "nodes", ...}

peakRssBytes is getrusage(RUSAGE_SELF).ru_maxrss x 1024 (Linux reports KiB), read right after
infer_shapes. With --data-prop, infer_shapes(data_prop=True) runs afterwards too (it resolves
Shape -> Gather -> Concat -> Reshape chains, as Whittle does), timed separately; its peak RSS is
reported on its own since ru_maxrss only grows. With --baseline, only `import onnx` happens:
the interpreter's own RSS, to subtract.

Debian: apt-get install python3-onnx (run it with /usr/bin/python3).
"""
import json
import resource
import sys
import time


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def known_value_info(graph):
    """value_info entries with a tensor type whose every dim has a value or a name."""
    known = 0
    for vi in graph.value_info:
        t = vi.type.tensor_type
        if vi.type.HasField("tensor_type") and t.HasField("shape") and all(d.HasField("dim_value") or d.HasField("dim_param") for d in t.shape.dim):
            known += 1
    return known


def main(argv):
    import onnx
    import onnx.shape_inference

    if "--baseline" in argv:
        print(json.dumps({"peakRssBytes": peak_rss_bytes(), "onnx": onnx.__version__}))
        return 0
    path = [a for a in argv if not a.startswith("--")][0]
    t0 = time.perf_counter()
    model = onnx.load(path)
    t1 = time.perf_counter()
    inferred = onnx.shape_inference.infer_shapes(model)
    t2 = time.perf_counter()
    out = {
        "onnx": onnx.__version__,
        "loadMs": (t1 - t0) * 1000,
        "inferMs": (t2 - t1) * 1000,
        "totalMs": (t2 - t0) * 1000,
        "peakRssBytes": peak_rss_bytes(),
        "nodes": len(model.graph.node),
        "inferredValueInfo": len(inferred.graph.value_info),
        "knownValueInfo": known_value_info(inferred.graph),
    }
    if "--data-prop" in argv:
        del inferred
        t3 = time.perf_counter()
        propagated = onnx.shape_inference.infer_shapes(model, data_prop=True)
        t4 = time.perf_counter()
        out["dataProp"] = {
            "inferMs": (t4 - t3) * 1000,
            "peakRssBytes": peak_rss_bytes(),
            "inferredValueInfo": len(propagated.graph.value_info),
            "knownValueInfo": known_value_info(propagated.graph),
        }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
