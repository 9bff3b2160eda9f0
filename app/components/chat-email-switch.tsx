import { Form, useNavigation } from "react-router";

/**
 * Renders the on/off choice for e-mails about new chat messages, as a form that posts
 * `intent=chat-emails` and `chatEmails=on|off` to the current route.
 */
export function ChatEmailSwitch({ enabled, legend, hint }: { enabled: boolean; legend: string; hint?: React.ReactNode }) {
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formData?.get("intent") === "chat-emails";

  return (
    <Form method="post" className="chat-email-switch">
      <input type="hidden" name="intent" value="chat-emails" />
      <fieldset>
        <legend>{legend}</legend>
        {/* The key resets the choice after a save, so it shows the stored value. */}
        <label>
          <input type="radio" name="chatEmails" value="on" defaultChecked={enabled} key={`on-${enabled}`} /> Ein
        </label>{" "}
        <label>
          <input type="radio" name="chatEmails" value="off" defaultChecked={!enabled} key={`off-${enabled}`} /> Aus
        </label>{" "}
        <button type="submit" disabled={saving}>
          Speichern
        </button>
      </fieldset>
      {hint ? <p className="muted">{hint}</p> : null}
    </Form>
  );
}
