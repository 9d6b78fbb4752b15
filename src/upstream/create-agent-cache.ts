import { Agent } from './undici-core.ts';

/** undici Agents by connect timeout: it lives on an Agent's connector, not on a request. */
export interface AgentCache {
  agentFor(connectTimeoutMs: number): Agent;
  /** Closes every Agent made so far. */
  close(): Promise<void>;
}

/**
 * Distinct connect timeouts come from config (one per model at most), so the cache stays small and
 * is never trimmed. Headers and idle timeouts are set per request, so one Agent serves them all.
 */
export function createAgentCache(): AgentCache {
  const agents = new Map<number, Agent>();
  return {
    agentFor(connectTimeoutMs) {
      let agent = agents.get(connectTimeoutMs);
      if (agent === undefined) {
        agent = new Agent({
          connect: { timeout: connectTimeoutMs },
          keepAliveTimeout: 30_000,
          // No cap per origin: HTTP/1.1 needs one connection per concurrent stream, and client
          // connections already bound how many there are. A cap of 256 queued the 257th stream
          // inside the gateway until it timed out (bench: 5,000 concurrent slow streams).
        });
        agents.set(connectTimeoutMs, agent);
      }
      return agent;
    },
    async close() {
      const closing = [...agents.values()].map((agent) => agent.close());
      agents.clear();
      await Promise.all(closing);
    },
  };
}
