import * as v from "valibot";

import { messages } from "~/messages";

const chatEmailsFormSchema = v.object(
  { chatEmails: v.picklist(["on", "off"], messages.chatEmailsInvalid) },
  messages.chatEmailsInvalid,
);

/** Parses the "E-Mails zu neuen Nachrichten" form of the profile and the order page. */
export function parseChatEmailsForm(form: Record<string, unknown>): { ok: true; enabled: boolean } | { ok: false; message: string } {
  const parsed = v.safeParse(chatEmailsFormSchema, form);
  if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
  return { ok: true, enabled: parsed.output.chatEmails === "on" };
}
