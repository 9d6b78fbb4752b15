"""The seed's raw-SSE example: read `data: ` lines until `data: [DONE]`, as a Python user would."""
import json
import sys

import requests

base_url, api_key, model = sys.argv[1], sys.argv[2], sys.argv[3]
response = requests.post(
    f"{base_url}/chat/completions",
    headers={"Authorization": f"Bearer {api_key}"},
    json={
        "model": model,
        "messages": [{"role": "user", "content": "Hello from Python"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    },
    stream=True,
    timeout=30,
)
response.raise_for_status()
text, usage, done = "", None, False
for line in response.iter_lines(decode_unicode=True):
    if not line or not line.startswith("data: "):
        continue
    payload = line[len("data: "):]
    if payload == "[DONE]":
        done = True
        break
    chunk = json.loads(payload)
    if chunk["choices"]:
        text += chunk["choices"][0]["delta"].get("content") or ""
    elif chunk.get("usage"):
        usage = chunk["usage"]
print(json.dumps({"text": text, "usage": usage, "done": done}))
