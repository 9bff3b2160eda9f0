/** A queue producer that keeps what is sent instead of delivering it, so a test can count and inspect messages. */
export interface RecordingQueue extends Queue {
  readonly sent: { body: unknown; delaySeconds: number | undefined }[];
}

export function recordingQueue(): RecordingQueue {
  const sent: RecordingQueue["sent"] = [];
  return {
    sent,
    async send(body: unknown, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const message of messages) sent.push({ body: message.body, delaySeconds: message.delaySeconds });
    },
  } as unknown as RecordingQueue;
}
