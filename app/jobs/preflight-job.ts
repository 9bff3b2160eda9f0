import * as v from "valibot";

/** Body of a message on the preflight queue: the run to carry out. */
export const preflightJobSchema = v.object({
  runId: v.pipe(v.string(), v.minLength(1)),
});

export type PreflightJob = v.InferOutput<typeof preflightJobSchema>;

export async function enqueuePreflight(queue: Queue, job: PreflightJob): Promise<void> {
  await queue.send(v.parse(preflightJobSchema, job), { contentType: "json" });
}
