import { z } from "zod";

/** A draft holds at most a ConfigMap's worth of text (1 MiB), in UTF-8 bytes. */
export const DRAFT_TEXT_LIMIT_BYTES = 1_048_576;

const encoder = new TextEncoder();

/** A Corefile text of at most {@link DRAFT_TEXT_LIMIT_BYTES} bytes. */
const corefileTextSchema = z
  .string()
  .refine((text) => text.length <= DRAFT_TEXT_LIMIT_BYTES && encoder.encode(text).length <= DRAFT_TEXT_LIMIT_BYTES, {
    message: "A Corefile draft may hold at most 1 MiB (1,048,576 bytes).",
  });

/** Whose draft, for which cluster. */
export const draftKeySchema = z.object({
  clusterId: z.string().trim().min(1).max(64),
  userId: z.string().trim().min(1).max(200),
});

/** What a draft saves: the edited text and the version the edit started from. */
export const draftInputSchema = z.object({
  text: corefileTextSchema,
  /** The live Corefile when the edit started. */
  baseText: corefileTextSchema,
  /** The ConfigMap's resourceVersion when the edit started; null when the ConfigMap did not exist. */
  baseResourceVersion: z.string().trim().min(1).max(128).nullable(),
});

export type DraftKey = z.infer<typeof draftKeySchema>;
export type DraftInput = z.infer<typeof draftInputSchema>;

/** A saved draft (plain data, safe for the browser). */
export type Draft = DraftKey & DraftInput & { id: string; updatedAt: Date };
