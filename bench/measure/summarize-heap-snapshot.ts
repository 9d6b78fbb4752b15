import * as z from 'zod';

/**
 * The parts of a V8 heap snapshot (`v8.writeHeapSnapshot`, the `.heapsnapshot` format) this
 * summary reads: every node's type, name and own size. Edges are not read, so a node is counted
 * by what it holds itself, not by what it keeps alive.
 */
const heapSnapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.tuple([z.array(z.string())]).rest(z.unknown()),
    }),
  }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

/** Bytes and node count of one kind of heap node. */
export interface HeapKindTotal {
  bytes: number;
  count: number;
}

export interface HeapSummary {
  /** Every node's own size, summed. */
  totalBytes: number;
  /** By kind (see `heapKindOf`). */
  byKind: Map<string, HeapKindTotal>;
}

/** One kind's growth between two snapshots, divided by the streams opened in between. */
export interface HeapKindGrowth {
  kind: string;
  bytesPerStream: number;
  countPerStream: number;
}

/** V8's node types that are one kind each, whatever their name (every string is a `(strings)`). */
const KIND_BY_TYPE: Readonly<Record<string, string>> = {
  string: '(strings)',
  'concatenated string': '(strings)',
  'sliced string': '(strings)',
  closure: '(closures)',
  array: '(arrays: elements and properties)',
  code: '(compiled code)',
  number: '(heap numbers)',
  bigint: '(bigints)',
  regexp: '(regular expressions)',
  hidden: '(V8 internals)',
  'object shape': '(V8 internals)',
  synthetic: '(native handles)',
};

/**
 * What a node counts as: objects by their constructor's name (`Socket`, `Object`, `system /
 * Context` for a closure's captured variables), buffers' memory as `(buffer contents)`, everything
 * else by V8's node type.
 */
export function heapKindOf(type: string, name: string): string {
  if (type === 'object') return name;
  if (type === 'native') return name === 'system / JSArrayBufferData' ? '(buffer contents)' : name;
  return KIND_BY_TYPE[type] ?? `(${type})`;
}

/**
 * Calls `visit` with every node of a parsed `.heapsnapshot`: its V8 type (`object`, `string`,
 * `closure`, …), its name (a constructor's name; a string's text, which V8 may cut short) and its
 * own size in bytes. Throws if `json` is not a heap snapshot.
 */
export function forEachHeapNode(
  json: unknown,
  visit: (type: string, name: string, bytes: number) => void,
): void {
  const { snapshot, nodes, strings } = heapSnapshotSchema.parse(json);
  const fields = snapshot.meta.node_fields;
  const [types] = snapshot.meta.node_types;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt === -1 || nameAt === -1 || sizeAt === -1) {
    throw new Error('the heap snapshot has no type, name or self_size field');
  }
  const width = fields.length;
  if (nodes.length % width !== 0) throw new Error('the heap snapshot has a partial node');
  for (let offset = 0; offset < nodes.length; offset += width) {
    visit(
      types[nodes[offset + typeAt] ?? -1] ?? 'unknown',
      strings[nodes[offset + nameAt] ?? -1] ?? '',
      nodes[offset + sizeAt] ?? 0,
    );
  }
}

/** Sums a parsed `.heapsnapshot` by kind. Throws if it is not one. */
export function summarizeHeapSnapshot(json: unknown): HeapSummary {
  const byKind = new Map<string, HeapKindTotal>();
  let totalBytes = 0;
  forEachHeapNode(json, (type, name, bytes) => {
    const kind = heapKindOf(type, name);
    const total = byKind.get(kind);
    if (total === undefined) byKind.set(kind, { bytes, count: 1 });
    else {
      total.bytes += bytes;
      total.count += 1;
    }
    totalBytes += bytes;
  });
  return { totalBytes, byKind };
}

/**
 * Per kind, what `after` holds more than `before`, divided by `streams`, largest first. Kinds that
 * shrank are listed too (negative), so the rows add up to the total's growth.
 */
export function heapGrowthPerStream(
  before: HeapSummary,
  after: HeapSummary,
  streams: number,
): HeapKindGrowth[] {
  if (!(streams > 0)) throw new Error('streams must be positive');
  const kinds = new Set([...before.byKind.keys(), ...after.byKind.keys()]);
  return [...kinds]
    .map((kind) => {
      const was = before.byKind.get(kind) ?? { bytes: 0, count: 0 };
      const is = after.byKind.get(kind) ?? { bytes: 0, count: 0 };
      return {
        kind,
        bytesPerStream: (is.bytes - was.bytes) / streams,
        countPerStream: (is.count - was.count) / streams,
      };
    })
    .sort((left, right) => right.bytesPerStream - left.bytesPerStream);
}
