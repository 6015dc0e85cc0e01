import { z } from "zod";

/** What an apply of a Corefile needs; shared by the Server Action (safeParse) and {@link applyCorefile}. */
export const applyInputSchema = z
  .object({
    /** The whole new Corefile. Its size is checked against the ConfigMap limit by the apply itself (TOO_LARGE). */
    text: z.string(),
    /** The ConfigMap's resourceVersion the edit started from; null to create a ConfigMap that does not exist. */
    baseResourceVersion: z.string().trim().min(1).max(128).nullable(),
    message: z.string().trim().max(2000, "Keep the message under 2,000 characters.").default(""),
    author: z.string().trim().min(1, "An apply needs an author.").max(200),
    source: z.enum(["dashboard", "api", "rollback"]).default("dashboard"),
    /** For a rollback: the revision whose text is being restored. */
    restoredFromId: z.string().trim().min(1).max(64).nullish(),
  })
  .refine((input) => input.source === "rollback" || !input.restoredFromId, {
    message: "Only a rollback restores a revision.",
    path: ["restoredFromId"],
  });

export type ApplyInput = z.input<typeof applyInputSchema>;
