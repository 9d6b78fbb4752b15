import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeParseJson } from '../util/safe-parse-json.ts';
import type { FaultController } from './create-fault-controller.ts';
import { describeZodIssues } from './describe-zod-issues.ts';
import { faultSpecListSchema } from './fault-spec.ts';
import { readRequestBody } from './read-request-body.ts';

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-shepherd-simulator': 'admin',
  });
  response.end(JSON.stringify(value));
}

/**
 * `/_simulator/faults`: GET lists armed faults, POST adds one spec or an array of specs (all or
 * nothing), DELETE clears them.
 */
export async function handleAdminRequest(options: {
  request: IncomingMessage;
  response: ServerResponse;
  faults: FaultController;
}): Promise<void> {
  const { request, response, faults } = options;
  if (request.method === 'GET') {
    sendJson(response, 200, { faults: faults.list() });
    return;
  }
  if (request.method === 'DELETE') {
    faults.clear();
    sendJson(response, 200, { faults: [] });
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, {
      error: { message: 'Use GET, POST or DELETE on /_simulator/faults.' },
    });
    return;
  }
  const text = await readRequestBody(request);
  const json = safeParseJson(text ?? '');
  if (!json.ok) {
    sendJson(response, 400, { error: { message: `Fault body is not JSON: ${json.error}` } });
    return;
  }
  const parsed = faultSpecListSchema.safeParse(
    Array.isArray(json.value) ? json.value : [json.value],
  );
  if (!parsed.success) {
    sendJson(response, 400, {
      error: { message: `Invalid fault spec: ${describeZodIssues(parsed.error)}` },
    });
    return;
  }
  for (const spec of parsed.data) faults.add(spec);
  sendJson(response, 201, { faults: faults.list() });
}
