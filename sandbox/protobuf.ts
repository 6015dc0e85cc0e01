/**
 * Decoding of ConfigMap request bodies sent as `application/vnd.kubernetes.protobuf`.
 * kubectl 1.32's typed clients (`kubectl create configmap ...`) send protobuf bodies while
 * accepting JSON answers; rather than reject them, the sandbox reads the few fields a ConfigMap has.
 * Layout: the 4-byte magic `k8s\0`, then a `runtime.Unknown` message {1: TypeMeta, 2: raw bytes},
 * where raw is the `v1.ConfigMap` message (field numbers from k8s.io/api/core/v1/generated.proto).
 */
import { badRequest } from "./status";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

type Field = { num: number; wire: number; value: number | Buffer };

/** Splits a protobuf message into its fields (varint and length-delimited values; fixed ones skipped). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw badRequest("protobuf: truncated varint");
      const byte = buf[pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw badRequest("protobuf: varint too long");
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const num = Math.floor(tag / 8);
    const wire = tag % 8;
    switch (wire) {
      case 0:
        out.push({ num, wire, value: varint() });
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = varint();
        if (pos + len > buf.length) throw badRequest("protobuf: truncated field");
        out.push({ num, wire, value: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw badRequest(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return out;
}

const text = (f: Field) => (Buffer.isBuffer(f.value) ? f.value.toString("utf8") : String(f.value));

/** A `map<string, string|bytes>` entry: {1: key, 2: value}. */
function mapEntry(f: Field, asBase64: boolean): [string, string] {
  let k = "";
  let v = "";
  for (const e of fields(f.value as Buffer)) {
    if (e.num === 1) k = text(e);
    if (e.num === 2) v = asBase64 ? (e.value as Buffer).toString("base64") : text(e);
  }
  return [k, v];
}

function objectMeta(buf: Buffer): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  const names: Record<number, string> = { 1: "name", 2: "generateName", 3: "namespace", 5: "uid", 6: "resourceVersion" };
  for (const f of fields(buf)) {
    const name = names[f.num];
    // gogo-protobuf writes every string field, empty or not; empty means unset.
    if (name) {
      if (text(f) !== "") meta[name] = text(f);
    }
    else if (f.num === 11 || f.num === 12) {
      const key = f.num === 11 ? "labels" : "annotations";
      const map = (meta[key] ??= {}) as Record<string, string>;
      const [k, v] = mapEntry(f, false);
      map[k] = v;
    } else if (f.num === 14) {
      ((meta.finalizers ??= []) as string[]).push(text(f));
    }
    // Timestamps, owner references and managedFields are server-owned or not needed here.
  }
  return meta;
}

/** True when the body starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

/** Decodes a protobuf-encoded ConfigMap into the JSON object the handlers expect. */
export function decodeConfigMapProtobuf(body: Buffer): Record<string, unknown> {
  if (!isKubernetesProtobuf(body)) throw badRequest("protobuf: missing the k8s magic prefix");
  let raw: Buffer | undefined;
  let apiVersion = "v1";
  let kind = "ConfigMap";
  for (const f of fields(body.subarray(4))) {
    if (f.num === 1) {
      for (const t of fields(f.value as Buffer)) {
        if (t.num === 1) apiVersion = text(t);
        if (t.num === 2) kind = text(t);
      }
    }
    if (f.num === 2) raw = f.value as Buffer;
  }
  if (!raw) throw badRequest("protobuf: the envelope holds no object");
  const object: Record<string, unknown> = { apiVersion, kind };
  for (const f of fields(raw)) {
    if (f.num === 1) object.metadata = objectMeta(f.value as Buffer);
    else if (f.num === 2 || f.num === 3) {
      const key = f.num === 2 ? "data" : "binaryData";
      const map = (object[key] ??= {}) as Record<string, string>;
      const [k, v] = mapEntry(f, f.num === 3);
      map[k] = v;
    } else if (f.num === 4) object.immutable = f.value === 1;
  }
  return object;
}
