import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGeminiRequest } from './build-gemini-request.ts';
import { geminiAdapter } from './index.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';
import { mapGeminiStream } from './map-gemini-stream.ts';

test('the adapter is typed gemini and wires the four mappers', () => {
  assert.equal(geminiAdapter.type, 'gemini');
  assert.equal(geminiAdapter.buildRequest, buildGeminiRequest);
  assert.equal(geminiAdapter.mapResponse, mapGeminiResponse);
  assert.equal(geminiAdapter.mapStream, mapGeminiStream);
  assert.equal(geminiAdapter.mapError, mapGeminiError);
});
