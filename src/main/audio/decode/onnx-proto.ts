/**
 * A minimal ONNX ModelProto writer (protobuf wire format by hand): just enough for small graphs
 * built at run time (float tensors, int/ints attributes, one opset), so onnxruntime can run a
 * filter we compute here without shipping a model file. Field numbers from onnx/onnx.proto.
 */

type Bytes = Uint8Array;

function varint(value: number): number[] {
  if (!(Number.isInteger(value) && value >= 0)) throw new Error(`varint needs a non-negative integer, got ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function concat(parts: readonly (Bytes | number[])[]): Bytes {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const key = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, value: number) => concat([key(field, VARINT), varint(value)]);
const bytes = (field: number, value: Bytes) => concat([key(field, LENGTH_DELIMITED), varint(value.length), value]);
const text = (field: number, value: string) => bytes(field, new TextEncoder().encode(value));

const FLOAT = 1; // TensorProto.DataType
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

export interface GraphNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number[]>;
  int?: Record<string, number>;
}

export interface FloatTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** A float32 graph input or output; a string dimension is symbolic (any size). */
export interface FloatValue {
  name: string;
  shape?: (number | string)[];
}

function node(n: GraphNode): Bytes {
  const attributes = [
    ...Object.entries(n.ints ?? {}).map(([name, values]) => concat([text(1, name), ...values.map((v) => int(8, v)), int(20, ATTRIBUTE_INTS)])),
    ...Object.entries(n.int ?? {}).map(([name, value]) => concat([text(1, name), int(3, value), int(20, ATTRIBUTE_INT)])),
  ];
  return concat([...n.inputs.map((i) => text(1, i)), ...n.outputs.map((o) => text(2, o)), text(4, n.opType), ...attributes.map((a) => bytes(5, a))]);
}

function tensor(t: FloatTensor): Bytes {
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  t.data.forEach((x, i) => view.setFloat32(i * 4, x, true)); // raw_data is little-endian
  return concat([...t.dims.map((d) => int(1, d)), int(2, FLOAT), text(8, t.name), bytes(9, raw)]);
}

function valueInfo(v: FloatValue): Bytes {
  const dims = (v.shape ?? []).map((d) => bytes(1, typeof d === 'number' ? int(1, d) : text(2, d)));
  const tensorType = concat([int(1, FLOAT), ...(v.shape ? [bytes(2, concat(dims))] : [])]);
  return concat([text(1, v.name), bytes(2, bytes(1, tensorType))]);
}

/** Serialised ModelProto (IR version 8, default domain at `opset`). */
export function onnxModel(graph: { name: string; nodes: GraphNode[]; initializers: FloatTensor[]; inputs: FloatValue[]; outputs: FloatValue[] }, opset = 13): Uint8Array {
  const body = concat([
    ...graph.nodes.map((n) => bytes(1, node(n))),
    text(2, graph.name),
    ...graph.initializers.map((t) => bytes(5, tensor(t))),
    ...graph.inputs.map((v) => bytes(11, valueInfo(v))),
    ...graph.outputs.map((v) => bytes(12, valueInfo(v))),
  ]);
  return concat([int(1, 8), bytes(8, int(2, opset)), bytes(7, body)]);
}
