import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({
        functionName: z.string(),
        url: z.string(),
        lineNumber: z.number(),
      }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface SelfTimeEntry {
  functionName: string;
  /** Path relative to the repository when inside it, else the URL as V8 reports it. */
  location: string;
  selfMicros: number;
  share: number;
}

export interface ProfileSummary {
  totalMicros: number;
  /** Self time per origin: src/<folder>, a package under node_modules, node internals, GC, idle. */
  byOrigin: Array<{ origin: string; selfMicros: number; share: number }>;
  functions: SelfTimeEntry[];
}

function originOf(url: string, functionName: string, repositoryRoot: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (native, outside JS)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch?.[1] !== undefined) return packageMatch[1];
  if (path.startsWith(repositoryRoot)) {
    const relative = path.slice(repositoryRoot.length).replace(/^\//, '');
    const [top, folder] = relative.split('/');
    return top === 'src' && folder !== undefined && !folder.endsWith('.ts')
      ? `src/${folder}`
      : (top ?? relative);
  }
  return 'other';
}

/** Self time per function and per origin of a V8 `.cpuprofile` (from `node --cpu-prof`). */
export function summarizeCpuProfile(path: string, repositoryRoot: string): ProfileSummary {
  const json = safeParseJson(readFileSync(path, 'utf8'));
  if (!json.ok) throw new Error(`${path} is not JSON: ${json.error}`);
  const profile = profileSchema.parse(json.value);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => {
    selfByNode.set(nodeId, (selfByNode.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const functions = new Map<string, SelfTimeEntry>();
  const origins = new Map<string, number>();
  let totalMicros = 0;
  for (const [nodeId, micros] of selfByNode) {
    const frame = nodes.get(nodeId)?.callFrame;
    if (frame === undefined) continue;
    totalMicros += micros;
    const origin = originOf(frame.url, frame.functionName, repositoryRoot);
    origins.set(origin, (origins.get(origin) ?? 0) + micros);
    const location = frame.url.startsWith(`file://${repositoryRoot}`)
      ? `${frame.url.slice(`file://${repositoryRoot}`.length + 1)}:${frame.lineNumber + 1}`
      : frame.url === ''
        ? '(native)'
        : `${frame.url}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName}@${location}`;
    const entry = functions.get(key) ?? {
      functionName: frame.functionName || '(anonymous)',
      location,
      selfMicros: 0,
      share: 0,
    };
    entry.selfMicros += micros;
    functions.set(key, entry);
  }
  const share = (micros: number) => (totalMicros === 0 ? 0 : micros / totalMicros);
  return {
    totalMicros,
    byOrigin: [...origins]
      .map(([origin, selfMicros]) => ({ origin, selfMicros, share: share(selfMicros) }))
      .sort((left, right) => right.selfMicros - left.selfMicros),
    functions: [...functions.values()]
      .map((entry) => ({ ...entry, share: share(entry.selfMicros) }))
      .sort((left, right) => right.selfMicros - left.selfMicros),
  };
}
