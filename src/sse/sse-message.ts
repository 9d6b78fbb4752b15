/** One dispatched Server-Sent Event. `event` is absent when the stream sent no `event:` line. */
export interface SseMessage {
  event: string | undefined;
  data: string;
}
